import { printWarnings } from '../warnings.js';
import { checkFailOnConditions, failOnConditions } from '../fail-on.js';
import { join } from 'node:path';
import { runManifest } from '../../app/manifest.js';
import { projectScenarios } from '../../app/project.js';
import { writeFilesAtomically } from '../../io/atomic-write.js';
import { cleanPowerCsv, offsetsCsv } from '../../io/offsets-csv.js';
import { fmtFixed, textTable } from '../table.js';
import { yearLabel } from '../../core/fiscal-year.js';
import { print, result } from '../output.js';

export interface OffsetsOptions {
  out: string;
  data?: string;
  to?: number;
  basis?: string;
  failOn?: readonly string[] | string;
}

export async function offsetsCommand(scenarios: string[], opts: OffsetsOptions): Promise<void> {
  const failOn = checkFailOnConditions(opts.failOn, ['warning']);
  const { org, runs } = await projectScenarios(scenarios, opts);
  const warnings = printWarnings(runs);
  const files = [
    { path: join(opts.out, 'offsets.csv'), content: offsetsCsv(runs) },
    { path: join(opts.out, 'offsets-vs-clean-power.csv'), content: cleanPowerCsv(runs) },
  ];
  const priceFiles = [
    ...new Map(
      runs.filter((r) => r.offsets).map((r) => [r.offsets!.prices.file, r.offsets!.prices.sha256]),
    ).entries(),
  ];
  const manifestOrg = {
    ...org,
    files: [...org.files, ...priceFiles.map(([file, sha256]) => ({ file, sha256 }))],
  };
  files.push({
    path: join(opts.out, 'run.json'),
    content: runManifest(
      'offsets',
      { scenarios: runs.map((r) => r.loaded.name), to: opts.to ?? 2035 },
      manifestOrg,
      runs,
      ['offsets.csv', 'offsets-vs-clean-power.csv'],
    ),
  });
  writeFilesAtomically(files);
  result(
    {
      currency: org.organization.currency,
      scenarios: runs.map((r) => ({
        scenario: r.loaded.name,
        ...(r.offsets
          ? { summary: r.offsets.summary, discountRate: r.offsets.discountRate }
          : { summary: null }),
      })),
    },
    files.map((f) => f.path),
  );

  const fy = (y: number) => yearLabel(org.organization.fiscalYear, y);
  const mt = (t: number) => fmtFixed(t / 1e6, 2);
  const millions = (v: number) => fmtFixed(v / 1e6, 1);
  const range = (c: { low: number; central: number; high: number }) =>
    `${millions(c.central)} (${millions(c.low)}–${millions(c.high)})`;
  const rows = runs.map((r) => {
    const s = r.offsets?.summary;
    if (!s) return [r.loaded.name, 'no strategy', '', '', '', ''];
    return [
      r.loaded.name,
      fy(s.year),
      mt(s.tonnes),
      range(s.cost),
      `${mt(s.cumulative.tonnes)} / ${range(s.cumulative.cost)}`,
      range(s.npv),
    ];
  });
  const first = runs.find((r) => r.offsets)?.offsets;
  const currency = org.organization.currency; // the price book converts every price to it
  const money =
    first?.prices.prices.moneyYear !== undefined
      ? `real ${first.prices.prices.moneyYear} money`
      : (first?.prices.prices.priceBasis ?? '');
  const market = first?.market;
  const avoidance = first?.plan[0]?.byCredit.find((c) => c.kind === 'avoidance')?.credit;
  print(
    `credits to buy (Mt CO2e) and their cost (M ${currency}, central (low–high), ${money})` +
      (market
        ? `; ${market.label} prices (avoidance: ${avoidance}, clean power: ${first.cleanPowerItem})`
        : '') +
      '\n',
  );
  print(
    `${textTable(
      [
        'scenario',
        'year',
        'credits Mt',
        `cost M ${currency}`,
        `cum. to ${fy(first?.summary.cumulative.to ?? 2035)}: Mt / M ${currency}`,
        `NPV M ${currency} @ ${fmtFixed((first?.discountRate ?? 0) * 100, 1)}%`,
      ],
      rows,
    )}\n`,
  );
  // avoidance and removals are different purchases at different prices: shown apart
  const kindRows = runs.flatMap((r) => {
    const s = r.offsets?.summary;
    if (!s) return [];
    const k = s.byKind;
    const negative = r.offsets!.plan.some((t) => t.netAtMost < 0);
    return [
      [
        r.loaded.name,
        fy(s.year),
        mt(k.avoidance.tonnes),
        range(k.avoidance.cost),
        mt(k.removal.tonnes),
        range(k.removal.cost),
        negative ? `${mt(k.beyondZero.tonnes)} / ${range(k.beyondZero.cost)}` : 'no target',
      ],
    ];
  });
  if (kindRows.length > 0)
    print(
      `\nby kind (Mt CO2e; M ${currency}, central (low–high); beyond zero: the removals a ` +
        `carbon-negative target buys past the residual)\n${textTable(
          [
            'scenario',
            'year',
            'avoidance Mt',
            `avoidance M ${currency}`,
            'removals Mt',
            `removals M ${currency}`,
            `beyond zero Mt / M ${currency}`,
          ],
          kindRows,
        )}\n`,
    );
  for (const r of runs) {
    const lead = r.offsets?.strategy.purchaseLead ?? 0;
    if (lead > 0)
      print(
        `${r.loaded.name}: credits bought ${lead} year${lead === 1 ? '' : 's'} ` +
          "before they are retired, at that year's price, discounted from it " +
          '(purchase_year in offsets.csv)\n',
      );
  }
  for (const r of runs) {
    const o = r.offsets;
    const nominal = o?.summary.cumulative.nominalCost;
    if (!o?.nominal || !nominal) continue;
    const { from, to } = o.summary.cumulative;
    print(
      `${r.loaded.name}: ${fy(from)}–${fy(to)} in each year's money ` +
        `(${fmtFixed(o.nominal.inflation * 100, 1)}%/yr inflation from ${o.nominal.moneyYear}): ` +
        `${range(nominal)} M ${currency}\n`,
    );
  }
  for (const r of runs) {
    const c = r.offsets?.cleanPower.find(
      (x) =>
        x.band === 'central' &&
        x.year === r.offsets!.summary.year &&
        x.targetId === r.offsets!.plan[0]?.targetId,
    );
    if (!c || r !== runs[0]) continue;
    print(
      `\n${r.loaded.name}, ${c.targetId}, ${fy(c.year)} (central): ` +
        `credits cost ${fmtFixed(c.creditCostPerTonne, 1)} ${currency}/t; ` +
        (c.abatable > 0
          ? `clean-power certificates would cut the ${fmtFixed(c.abatable / 1e6, 2)} Mt ` +
            `from electricity for ${fmtFixed(c.costPerTonne, 1)} ${currency}/t `
          : 'more clean-power certificates would cut none of it (no emissions from non-clean ' +
            'electricity are left) ') +
        '(every scenario and year: offsets-vs-clean-power.csv)\n',
    );
  }
  print(`\nwrote ${files.map((f) => f.path).join(', ')}\n`);
  failOnConditions(failOn, { warnings });
}
