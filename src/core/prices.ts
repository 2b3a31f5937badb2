/**
 * Price paths: observed or published points, linear between them, then a real annual
 * escalation after the last one; converted to the reporting currency.
 */
import {
  BANDS,
  CLEAN_POWER_ID,
  type BandName,
  type PriceBand,
  type PricesFile,
} from '../schema/prices.js';

export function bandPrice(band: PriceBand, year: number): number {
  const pts = Object.entries(band.points)
    .map(([y, p]) => [Number(y), p.value] as const)
    .sort((a, b) => a[0] - b[0]);
  const first = pts[0]!;
  const last = pts.at(-1)!;
  if (year <= first[0]) return first[1];
  if (year >= last[0]) return last[1] * (1 + band.escalation.value) ** (year - last[0]);
  for (let i = 1; i < pts.length; i++) {
    const [y1, v1] = pts[i]!;
    if (year <= y1) {
      const [y0, v0] = pts[i - 1]!;
      return v0 + ((year - y0) / (y1 - y0)) * (v1 - v0);
    }
  }
  return last[1];
}

export class PriceError extends Error {
  constructor(
    message: string,
    readonly path: Array<string | number>,
    readonly fix?: string,
  ) {
    super(message);
  }
}

export interface PriceBook {
  /** The reporting currency: the organization's (prices are converted to it). */
  currency: string;
  /** Reporting-currency units per unit of `currency`. */
  rate(currency: string): number;
  /** Reporting-currency price per tonne (credits) or per MWh (clean power). */
  price(item: string, band: BandName, year: number): number;
  /** Price in the item's own currency. */
  localPrice(item: string, band: BandName, year: number): number;
  /**
   * The price file's price in the item's own currency, before any multiplier:
   * price = (filePrice × multiplier) × rate.
   */
  filePrice(item: string, band: BandName, year: number): number;
  itemCurrency(item: string): string;
}

/** The item the clean-power comparator is priced as, whichever instrument it is. */
export const CLEAN_POWER = CLEAN_POWER_ID;

export type Market = NonNullable<PricesFile['markets']>[string] & { id: string };

/**
 * The market whose price set applies: `chosen` (a scenario's offsets.market) if given, else the
 * first market listing `region`, else the file's defaultMarket; undefined if the file has none.
 */
export function marketOf(
  file: PricesFile,
  region: string | undefined,
  chosen?: string,
): Market | undefined {
  const markets = Object.entries(file.markets ?? {});
  const found =
    chosen !== undefined
      ? markets.find(([id]) => id === chosen)
      : (markets.find(([, m]) => region !== undefined && m.regions.includes(region)) ??
        markets.find(([id]) => id === file.defaultMarket));
  if (chosen !== undefined && !found)
    throw new PriceError(
      `no market '${chosen}'`,
      ['markets', chosen],
      markets.length > 0
        ? `use one of ${markets.map(([id]) => id).join(', ')}`
        : 'the price file declares no markets; remove offsets.market',
    );
  return found ? { ...found[1], id: found[0] } : undefined;
}

/**
 * Prices in `reporting` currency (default: the price file's). The file's exchange rates (and a
 * scenario's overrides of them) are in file-currency units per unit of each currency; a reporting
 * currency other than the file's is reached through its own rate:
 * rate(c) = fileRate(c) / fileRate(reporting).
 */
export function priceBook(
  file: PricesFile,
  overrides: {
    exchangeRates?: Record<string, number> | undefined;
    priceMultipliers?: Record<string, number> | undefined;
  } = {},
  reporting: string = file.currency,
  /** The clean-power comparator: `clean-power` (the file's own) or a cleanPowerInstruments id. */
  cleanPower: string = CLEAN_POWER,
): PriceBook {
  const cleanItem =
    cleanPower === CLEAN_POWER ? file.cleanPower : file.cleanPowerInstruments?.[cleanPower];
  if (!cleanItem)
    throw new PriceError(
      `no clean-power instrument '${cleanPower}'`,
      ['cleanPowerInstruments', cleanPower],
      `use one of ${[CLEAN_POWER, ...Object.keys(file.cleanPowerInstruments ?? {})].join(', ')}`,
    );
  const fileRate = (c: string): number => {
    if (c === file.currency) return 1;
    const r = overrides.exchangeRates?.[c] ?? file.exchangeRates[c]?.value;
    if (r === undefined) {
      throw new PriceError(
        `no exchange rate for ${c}` +
          `${c === reporting ? " (the organization's currency, which costs are reported in)" : ''}`,
        ['exchangeRates', c],
        `add exchangeRates.${c} (${file.currency} per ${c}) with its value, year and source ` +
          `to the price file, or offsets.exchangeRates.${c} to the scenario`,
      );
    }
    return r;
  };
  const toReporting = fileRate(reporting);
  const rate = (c: string): number => (c === reporting ? 1 : fileRate(c) / toReporting);
  const bandsOf = (item: string) => (item === CLEAN_POWER ? cleanItem : file.credits[item]);
  const itemCurrency = (item: string) => {
    const it = bandsOf(item);
    if (!it)
      throw new PriceError(
        `no prices for '${item}'`,
        ['credits', item],
        `use one of ${Object.keys(file.credits).join(', ')}`,
      );
    return it.currency;
  };
  const filePrice = (item: string, band: BandName, year: number) =>
    bandPrice(bandsOf(item)!.bands[band], year);
  const localPrice = (item: string, band: BandName, year: number) =>
    filePrice(item, band, year) * (overrides.priceMultipliers?.[item] ?? 1);
  return {
    currency: reporting,
    rate,
    itemCurrency,
    localPrice: (item, band, year) => {
      itemCurrency(item);
      return localPrice(item, band, year);
    },
    filePrice: (item, band, year) => {
      itemCurrency(item);
      return filePrice(item, band, year);
    },
    price: (item, band, year) => localPrice(item, band, year) * rate(itemCurrency(item)),
  };
}

/** low ≤ central ≤ high in every year of the horizon, for every credit and for clean power. */
export function checkBandOrder(file: PricesFile, from = 2020, to = 2060): void {
  const items: Array<[string, Array<string>, PricesFile['cleanPower']['bands']]> = [
    ...Object.entries(file.credits).map(
      ([id, c]) =>
        [id, ['credits', id], c.bands] as [string, string[], PricesFile['cleanPower']['bands']],
    ),
    [CLEAN_POWER, ['cleanPower'], file.cleanPower.bands],
    ...Object.entries(file.cleanPowerInstruments ?? {}).map(
      ([id, c]) =>
        [id, ['cleanPowerInstruments', id], c.bands] as [
          string,
          string[],
          PricesFile['cleanPower']['bands'],
        ],
    ),
  ];
  for (const [id, path, bands] of items) {
    for (let y = from; y <= to; y++) {
      const [lo, mid, hi] = BANDS.map((b) => bandPrice(bands[b], y)) as [number, number, number];
      if (lo > mid + 1e-9 || mid > hi + 1e-9) {
        throw new PriceError(
          `${id}: in ${y} the bands are low ${lo.toFixed(2)}, central ${mid.toFixed(2)}, ` +
            `high ${hi.toFixed(2)}; they must stay ordered`,
          [...path, 'bands'],
          'adjust the points or escalation rates so that low ≤ central ≤ high to 2060',
        );
      }
    }
  }
}
