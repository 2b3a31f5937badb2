#!/usr/bin/env node
// Regenerates data/alibaba-group/inventory.csv from ../shared/seed-facts.json.
// The output is committed and marked as generated; test/provenance.test.ts re-checks every
// `reported` row against the seed line it cites. Run: npm run inventory:build
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const factsPath = process.argv[2] ?? join(root, '..', 'shared', 'seed-facts.json');
const facts = readFacts(factsPath);

/** The seed facts, or a message and exit 2 (not a stack trace) when they cannot be read. */
function readFacts(path) {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    const why = e.code === 'ENOENT' ? 'it does not exist' : (e.code ?? e.message);
    console.error(
      `inventory:build: cannot read the seed facts ${path}: ${why}\n` +
        "  fix: they come with the project's shared folder (../shared/seed-facts.json beside " +
        'this checkout); or name the file: node scripts/build-inventory.mjs FILE',
    );
    process.exit(2);
  }
}

const RESTATED = 'Alibaba Group [2026-report basis, restated]';
const ORIGINAL = 'Alibaba Group [2024-report basis, as originally reported]';
const T = 't CO2e';

// seed metric -> [inventory variable, unit, scale from printed unit to inventory unit]
const GROUP = {
  ghg_total_s1_s2mb_s3mb_gross: ['Emissions|Scope 1+2+3', T, 1],
  scope1_gross: ['Emissions|Scope 1', T, 1],
  scope2_market_based_gross: ['Emissions|Scope 2|Market-based', T, 1],
  scope2_location_based_gross: ['Emissions|Scope 2|Location-based', T, 1],
  scope3_gross_market_based: ['Emissions|Scope 3', T, 1],
  carbon_offsets_total: ['Offsets|Total', T, 1],
  carbon_offsets_scope1: ['Offsets|Scope 1', T, 1],
  carbon_offsets_scope2: ['Offsets|Scope 2', T, 1],
  carbon_offsets_scope3: ['Offsets|Scope 3', T, 1],
  ghg_net_s123_after_offsets: ['Emissions|Scope 1+2+3|Net', T, 1],
  scope1_net: ['Emissions|Scope 1|Net', T, 1],
  scope2_net_market_based: ['Emissions|Scope 2|Market-based|Net', T, 1],
  scope3_net_market_based: ['Emissions|Scope 3|Net', T, 1],
  intensity_net_s123: ['Intensity|Scope 1+2+3', 't CO2e/M CNY', 1],
  intensity_scope1: ['Intensity|Scope 1', 't CO2e/M CNY', 1],
  intensity_scope2: ['Intensity|Scope 2', 't CO2e/M CNY', 1],
  intensity_scope3_net: ['Intensity|Scope 3', 't CO2e/M CNY', 1],
  reductions_total: ['Reductions|Total', T, 1],
  reductions_scope1: ['Reductions|Scope 1', T, 1],
  reductions_scope2: ['Reductions|Scope 2', T, 1],
  reductions_scope3: ['Reductions|Scope 3', T, 1],
  scope3plus_avoided_emissions: ['Avoided Emissions|Scope 3+', T, 1],
  scope3plus_reductions: ['Avoided Emissions|Scope 3+', T, 1],
  energy_total: ['Energy|Total', 'MWh', 1],
  energy_direct: ['Energy|Direct', 'MWh', 1],
  natural_gas: ['Fuel|Natural Gas', 'k m3', 1],
  lpg: ['Fuel|LPG', 't', 1],
  diesel: ['Fuel|Diesel', 't', 1],
  gasoline: ['Fuel|Gasoline', 't', 1],
  purchased_electricity: ['Electricity|Purchased', 'MWh', 1],
  clean_power_share: ['Electricity|Clean Share', '%', 1],
  purchased_heat: ['Heat|Purchased', 'MWh', 1],
  renewable_energy: ['Energy|Renewable', 'MWh', 1],
  pue_self_built_dc: ['PUE|Self-built DC', '1', 1],
  pue_leased_dc: ['PUE|Leased DC', '1', 1],
  implied_revenue_denominator: ['Revenue', 'M CNY', 1],
};

// [seed entity, metric, inventory variable, unit, scale]
const SEGMENTS = [
  [
    'Alibaba Cloud self-built DCs',
    'clean_power_share',
    'Electricity|Clean Share|Self-built DC',
    '%',
    1,
  ],
  [
    'Alibaba Cloud leased DCs',
    'clean_power_share_global',
    'Electricity|Clean Share|Leased DC',
    '%',
    1,
  ],
  ['Alibaba Cloud leased DCs', 'reductions', 'Reductions|Leased DC', T, 1e4],
  [
    'Alibaba campuses (self-used campuses & owned properties)',
    'clean_power_share',
    'Electricity|Clean Share|Campuses',
    '%',
    1,
  ],
  ['Alibaba Cloud', 'reductions_scope1_2', 'Reductions|Scope 1+2|Alibaba Cloud', T, 1],
  ['Alibaba Cloud', 'reductions_scope3', 'Reductions|Scope 3|Alibaba Cloud', T, 1],
];

const PROGRAMMES = {
  alibaba_cloud_green_cloud: 'Alibaba Cloud',
  dingtalk: 'DingTalk',
  amap_ai_navigation: 'Amap AI Navigation',
  taobao_tmall_low_carbon_goods: 'Taobao and Tmall',
  '1688_low_carbon_goods': '1688',
  alibaba_com: 'Alibaba.com',
  xianyu_idle_goods: 'Xianyu',
  ali_asset_auction: 'Ali Auction',
  cainiao_station_box_and_clothes_recycling: 'Cainiao Recycling',
  amap_green_mobility_carbon_inclusion: 'Amap Green Mobility',
  taobao_instant_commerce_no_cutlery_small_portions: 'Taobao Instant Commerce',
};

const rows = [];
const yearOf = (fy) => Number(String(fy).replace(/^FY/, ''));
const isDerived = (r) => /^DERIVED/.test(r.note ?? '') || /ESTIMATE/.test(r.metric);
function push(basis, r, variable, unit, scale) {
  const derived = isDerived(r);
  const value = Math.round(r.value * scale * 1e6) / 1e6;
  const printed = scale === 1 ? '' : `printed ${r.value} (x${scale} = ${unit})`;
  rows.push({
    basis,
    variable,
    unit,
    year: yearOf(r.fiscal_year),
    value,
    provenance: derived ? 'derived' : 'reported',
    source: `${r.source_file}:${r.line}`,
    note: [printed, (r.note ?? '').replace(/\s+/g, ' ').trim()].filter(Boolean).join('; '),
  });
}

for (const r of facts) {
  const basis =
    r.entity === RESTATED ? 'restated-2026' : r.entity === ORIGINAL ? 'original-2024' : null;
  if (basis && GROUP[r.metric] && /^FY\d{4}$/.test(r.fiscal_year) && typeof r.value === 'number') {
    const [variable, unit, scale] = GROUP[r.metric];
    push(basis, r, variable, unit, scale);
  }
  for (const [entity, metric, variable, unit, scale] of SEGMENTS) {
    if (r.entity === entity && r.metric === metric && /^FY\d{4}$/.test(r.fiscal_year)) {
      push('restated-2026', r, variable, unit, scale);
      // As printed in the 2024 report, the same business on the original basis too (the
      // divestitures that the restatement removes are retail, not Alibaba Cloud).
      if (r.source_file.startsWith('002_') && yearOf(r.fiscal_year) <= 2024) {
        push('original-2024', r, variable, unit, scale);
      }
    }
  }
  if (r.entity.startsWith('Alibaba Group scope 3+ (FY2026') && PROGRAMMES[r.metric]) {
    push('restated-2026', r, `Avoided Emissions|Scope 3+|${PROGRAMMES[r.metric]}`, T, 1e4);
  }
}

// The segment rows describe the group as it is now; the FY2024 self-built DC figures appear
// in both reports and are the same business, so they belong to the restated basis too.
rows.sort(
  (a, b) =>
    a.basis.localeCompare(b.basis) || a.variable.localeCompare(b.variable) || a.year - b.year,
);
const seen = new Set();
const unique = rows.filter((r) => {
  const k = `${r.basis}|${r.variable}|${r.year}`;
  if (seen.has(k)) throw new Error(`duplicate inventory row ${k}`);
  seen.add(k);
  return true;
});

const cell = (v) => {
  const s = String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};
const header = ['basis', 'variable', 'unit', 'year', 'value', 'provenance', 'source', 'note'];
const out =
  [
    '# GENERATED by scripts/build-inventory.mjs from shared/seed-facts.json - do not edit by hand.',
    header.join(','),
    ...unique.map((r) => header.map((h) => cell(r[h])).join(',')),
  ].join('\n') + '\n';
writeFileSync(join(root, 'data', 'alibaba-group', 'inventory.csv'), out);
console.log(`wrote ${unique.length} rows to data/alibaba-group/inventory.csv`);
