/**
 * carbonpath command line. Thin: parses arguments, loads the command module lazily, maps
 * expected errors to exit codes (2 bad input, 3 a --fail-on condition) without a stack trace.
 */
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { CarbonpathError, InputError, sanitizeForTerminal } from '../errors.js';
import {
  MAX_SAMPLES,
  MAX_SEED,
  MAX_SOBOL_SAMPLES,
  MAX_WORKERS,
  parseWholeNumber,
} from '../app/limits.js';
import { fileSystemError } from '../io/fs-errors.js';
import { checkOutputFolder } from '../io/output-folder.js';
import { TOOL_VERSION } from '../io/package-root.js';
import { failOnParser, type FailOnCondition } from './fail-on.js';
import { finishOutput, startOutput } from './output.js';
import { grouped } from './table.js';

function year(value: string): number {
  if (!/^\d{4}$/.test(value))
    throw new InvalidArgumentError('expected a four-digit year, e.g. 2050');
  return Number(value);
}

/** A parser for a bounded whole-number option (the bounds: src/app/limits.ts). */
const wholeNumber =
  (flag: string, min: number, max: number) =>
  (value: string): number =>
    parseWholeNumber(flag, value, min, max);
const seed = wholeNumber('--seed', 0, MAX_SEED);

const SCENARIOS_HELP =
  "scenario names (the organization's scenarios/, then the bundled ones) or scenario files; " +
  "default: all of the organization's";

/**
 * `--fail-on`: exit 3 once the outputs are written when a condition is met. `warning` (any
 * warning printed, for CI) everywhere; `off-track` where targets are evaluated.
 */
function failOnOption(allowed: readonly FailOnCondition[]): Option {
  const what: Record<FailOnCondition, string> = {
    'off-track': "'off-track' (a target is off track)",
    warning: "'warning' (any warning was printed)",
  };
  return new Option(
    '--fail-on <conditions>',
    `exit 3 after writing when a condition is met: ${allowed.map((a) => what[a]).join(', ')}; ` +
      'several comma-separated',
  ).argParser(failOnParser(allowed));
}

/** A command that projects scenarios: the scenario argument, --out and the organization options. */
function projecting(program: Command, name: string, description: string): Command {
  return withDataOptions(
    program
      .command(name)
      .description(description)
      .argument('[scenario...]', SCENARIOS_HELP)
      .option('--out <dir>', 'output folder', 'out'),
  );
}

function withDataOptions(cmd: Command): Command {
  return cmd
    .option('--data <dir>', 'organization folder (default: bundled Alibaba Group)')
    .option('--to <year>', 'last projected year (default 2035, at most 2060)', year)
    .option(
      '--basis <name>',
      "reporting basis of the history (default: the organization's defaultBasis)",
    );
}

export function buildProgram(): Command {
  const program = new Command('carbonpath')
    .description("Simulate a company's climate pathway and track it against its targets.")
    .version(TOOL_VERSION)
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    // Every command's --out is checked before any work: a run that cannot write its results
    // fails at once, and an empty --out never means the current folder.
    .hook('preAction', (_program, command) => {
      const { out, json, quiet } = command.opts<{ out?: unknown; json?: true; quiet?: true }>();
      startOutput(json ? 'json' : quiet ? 'quiet' : 'text', command.name(), out);
      if (typeof out === 'string' && out !== '-') checkOutputFolder(out);
    });

  projecting(
    program,
    'run',
    'project each scenario and write DIR/trajectories.csv and DIR/run.json',
  )
    .addOption(
      new Option('--format <format>', 'CSV layout')
        .choices(['long', 'wide', 'iamc'])
        .default('long'),
    )
    .addOption(failOnOption(['warning']))
    .action(async (scenarios: string[], opts) => {
      const { runCommand } = await import('./commands/run.js');
      await runCommand(scenarios, opts);
    });

  projecting(
    program,
    'targets',
    'evaluate every target for each scenario; writes DIR/targets.csv, target-pathways.csv, ' +
      'sbti.csv, base-recalculation.csv',
  )
    .option('--targets <file>', 'targets file (default: targets.yaml in the organization folder)')
    .addOption(failOnOption(['off-track', 'warning']))
    .action(async (scenarios: string[], opts) => {
      const { targetsCommand } = await import('./commands/targets.js');
      await targetsCommand(scenarios, opts);
    });

  projecting(
    program,
    'offsets',
    "credit volumes, price bands, costs and NPV for each scenario's offset strategy; writes " +
      'DIR/offsets.csv',
  )
    .addOption(failOnOption(['warning']))
    .action(async (scenarios: string[], opts) => {
      const { offsetsCommand } = await import('./commands/offsets.js');
      await offsetsCommand(scenarios, opts);
    });

  projecting(
    program,
    'simulate',
    'Monte Carlo: fan charts, the probability of meeting each target, and a sensitivity tornado',
  )
    .requiredOption(
      '--samples <n>',
      `number of paths (at most ${grouped(MAX_SAMPLES)})`,
      wholeNumber('--samples', 1, MAX_SAMPLES),
    )
    .requiredOption('--seed <s>', 'random seed (same seed, same bytes)', seed)
    .option(
      '--workers <k>',
      'worker threads (results do not depend on it; default 1, or 2 from 200,000 paths)',
      wholeNumber('--workers', 1, MAX_WORKERS),
    )
    .option(
      '--sobol <n>',
      'also variance-based (Sobol) indices from n base samples (n·(k+2) runs, n at most ' +
        `${grouped(MAX_SOBOL_SAMPLES)}) → sobol.csv`,
      wholeNumber('--sobol', 1, MAX_SOBOL_SAMPLES),
    )
    .addOption(failOnOption(['warning']))
    .action(async (scenarios: string[], opts) => {
      const { simulateCommand } = await import('./commands/simulate.js');
      await simulateCommand(scenarios, opts);
    });

  withDataOptions(
    program
      .command('solve')
      .description(
        'goal-seek: the lever value that meets a target (deterministically or with a ' +
          'probability); writes DIR/solved-scenario.yaml',
      )
      .argument('[scenario]', "a scenario name or file (default: the organization's baseline)")
      .requiredOption('--target <id>', 'target id from the targets file')
      .requiredOption(
        '--lever <path>',
        'parameters.NAME.points.YEAR, parameters.NAME.growth, parameters.NAME or constants.NAME',
      )
      .option('--min <x>', "lower end of the search (default: the quantity's bound)")
      .option('--max <x>', 'upper end of the search')
      .option('--probability <p>', 'meet the target with at least this probability (Monte Carlo)')
      .option('--without-credits', 'meet the target on emissions before credits')
      .option(
        '--samples <n>',
        'paths per evaluation with --probability (default 2000)',
        wholeNumber('--samples', 1, MAX_SAMPLES),
      )
      .option('--seed <s>', 'seed with --probability (default 1)', seed)
      .option('--out <dir>', 'output folder', 'out'),
  ).action(async (scenario: string | undefined, opts) => {
    const { solveCommand } = await import('./commands/solve.js');
    await solveCommand(scenario, opts);
  });

  program
    .command('report')
    .description(
      'the progress report: report.md, self-contained report.html, the CSV behind every ' +
        'chart and table, run.json',
    )
    .option(
      '--out <dir>',
      'report folder; the previous report is looked for beside it',
      'reports/latest',
    )
    .option(
      '--as-of <year>',
      'use actuals up to this fiscal year (reproduce an earlier report)',
      year,
    )
    .option(
      '--actuals <file>',
      'newer actuals in the inventory CSV format; the model re-bases on the latest year',
    )
    .option('--data <dir>', 'organization folder (default: bundled Alibaba Group)')
    .option(
      '--samples <n>',
      'Monte Carlo paths per scenario (0 = none; default 1000)',
      wholeNumber('--samples', 0, MAX_SAMPLES),
    )
    .option('--seed <s>', 'Monte Carlo seed (default 1)', seed)
    .addOption(failOnOption(['off-track', 'warning']))
    .option('--date <yyyy-mm-dd>', 'state this generation date in the report (default: none)')
    .option('--pdf', 'also write report.pdf (A4 board pack) with the installed Chromium')
    .option(
      '--backtest-as-of <year>',
      '"How well it predicts": backtest from this year (default: the latest year that ' +
        'leaves a later actual)',
      year,
    )
    .action(async (opts) => {
      const { reportCommand } = await import('./commands/report.js');
      await reportCommand(opts);
    });

  withDataOptions(
    program
      .command('explore')
      .description(
        'the scenario explorer: writes DIR/explorer.html (one file, works offline) where levers ' +
          'move every target, the credits and their cost',
      )
      .argument('[scenario]', "a scenario name or file (default: all of the organization's)")
      .option('--out <dir>', 'output folder', 'out')
      .option('--open', 'open the page in the default browser (else its path is printed)')
      .option('--serve', 'also serve the page on http://127.0.0.1 (this machine only)')
      .option('--port <n>', 'port for --serve (default 8765)', wholeNumber('--port', 1, 65535)),
  ).action(async (scenario: string | undefined, opts) => {
    const { exploreCommand } = await import('./commands/explore.js');
    await exploreCommand(scenario, opts);
  });

  program
    .command('backtest')
    .description(
      'calibrate on the actuals up to a year, project, and compare with every later actual; ' +
        'writes DIR/backtest.csv, backtest-trends.csv, backtest-coverage.csv',
    )
    .argument('[scenario]', "a scenario name or file (default: the organization's baseline)")
    .requiredOption('--as-of <year>', 'use actuals up to this fiscal year only', year)
    .option(
      '--samples <n>',
      'Monte Carlo paths for the p5–p95 bands (0 = none; default 1000)',
      wholeNumber('--samples', 0, MAX_SAMPLES),
    )
    .option('--seed <s>', 'Monte Carlo seed (default 1)', seed)
    .option('--no-refit', "run the scenario's trends as written, not re-fitted on years ≤ YEAR")
    .option('--data <dir>', 'organization folder (default: bundled Alibaba Group)')
    .option('--basis <name>', "reporting basis (default: the organization's defaultBasis)")
    .option('--out <dir>', 'output folder', 'out')
    .action(async (scenario: string | undefined, opts) => {
      const { backtestCommand } = await import('./commands/backtest.js');
      await backtestCommand(scenario, opts);
    });

  program
    .command('init')
    .description(
      'create an organization folder: organization.yaml, inventory.csv, targets.yaml, ' +
        'scenarios/baseline.yaml',
    )
    .argument('<dir>', 'new folder (must not exist or be empty)')
    .option(
      '--from-csv <file>',
      'start from an inventory CSV (columns basis,variable,unit,year,value,provenance,source,' +
        'note) or a company,year,metric,value table (docs/organization-format.md)',
    )
    .option('--company <name>', 'with a company,year,metric,value table: which company')
    .option('--name <name>', 'organization name (default: from the folder name)')
    .option('--currency <code>', 'ISO 4217 currency of revenue (default USD)')
    .action(async (dir: string, opts) => {
      const { initCommand } = await import('./commands/init.js');
      await initCommand(dir, opts);
    });

  program
    .command('explain')
    .description("print the equations compiled from the organization's declared structure")
    .option('--data <dir>', 'organization folder (default: bundled Alibaba Group)')
    .option('--basis <name>', "reporting basis (default: the organization's defaultBasis)")
    .action(async (opts) => {
      const { explainCommand } = await import('./commands/explain.js');
      explainCommand(opts);
    });

  program
    .command('migrate')
    .description('rewrite an organization folder of format version 1 in version 2')
    .argument('<dir>', 'the organization folder')
    .option('--out <dir>', 'write a migrated copy here instead of rewriting the folder in place')
    .action(async (dir: string, opts) => {
      const { migrateCommand } = await import('./commands/migrate.js');
      migrateCommand(dir, opts);
    });

  program
    .command('validate')
    .description(
      'check scenario files, targets files, organization folders or inventory CSVs; report ' +
        'every problem',
    )
    .argument('<file...>', 'files or organization folders')
    .option(
      '--data <dir>',
      'organization to check scenarios against (default: bundled Alibaba Group)',
    )
    .addOption(failOnOption(['warning']))
    .action(async (files: string[], opts) => {
      const { validateCommand } = await import('./commands/validate.js');
      await validateCommand(files, opts);
    });

  program
    .command('schema')
    .description('print a JSON Schema: scenario (default), organization, targets or prices')
    .option('--kind <kind>', 'scenario, organization, targets or prices', 'scenario')
    .action(async (opts: { kind: string }) => {
      const { schemaCommand } = await import('./commands/schema.js');
      schemaCommand(opts.kind);
    });
  return withOutputOptions(program);
}

/** --json and -q/--quiet on every command, the same everywhere (src/cli/output.ts). */
function withOutputOptions(program: Command): Command {
  for (const cmd of program.commands) {
    if (cmd.name() !== 'schema')
      cmd.option('--json', 'print one JSON document on stdout instead of text, errors too');
    cmd.option('-q, --quiet', 'print nothing unless a --fail-on condition is met, or an error');
  }
  return program;
}

export async function main(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv);
    const code = process.exitCode === undefined ? 0 : Number(process.exitCode);
    finishOutput(code);
    return code;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (
        e.code === 'commander.helpDisplayed' ||
        e.code === 'commander.version' ||
        e.code === 'commander.help'
      )
        return 0;
      // commander has printed the message on stderr; --json still gets its one document
      if (argv.includes('--json')) {
        const command = argv.slice(2).find((a) => !a.startsWith('-')) ?? '';
        startOutput('json', command);
        finishOutput(2, { message: e.message.replace(/^error: /, '') });
      }
      return 2;
    }
    const known = e instanceof CarbonpathError ? e : asFileSystemError(e);
    if (known instanceof CarbonpathError) {
      const problems = known instanceof InputError ? { problems: known.problems } : {};
      finishOutput(known.exitCode, { message: known.message, ...problems });
      process.stderr.write(`carbonpath: ${sanitizeForTerminal(known.message)}\n`);
      return known.exitCode;
    }
    const message = (e as Error)?.message ?? String(e);
    finishOutput(1, { message: `internal error: ${message}` });
    process.stderr.write(`carbonpath: internal error: ${sanitizeForTerminal(message)}\n`);
    if (process.env.CARBONPATH_DEBUG) process.stderr.write(`${(e as Error)?.stack}\n`);
    else
      process.stderr.write(
        '  (set CARBONPATH_DEBUG=1 for the stack trace, and please report it)\n',
      );
    return 1;
  }
}

/**
 * A file-system refusal that no command mapped itself (a folder removed while writing, a disk
 * that filled up): still the user's to fix, so exit 2 naming the file, not "internal error".
 */
function asFileSystemError(e: unknown): unknown {
  const { path, syscall } = (e ?? {}) as NodeJS.ErrnoException;
  if (typeof path !== 'string') return e;
  const reading = ['open', 'read', 'lstat', 'stat', 'scandir', 'realpath'].includes(syscall ?? '');
  return fileSystemError(e, path, reading ? 'read' : 'write');
}
