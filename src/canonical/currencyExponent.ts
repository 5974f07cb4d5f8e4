// ISO 4217 minor-unit exponents that differ from 2, from the ISO 4217 list of current
// currencies (codes with an "N.A." exponent, such as XAU, are left out and default to 2).
const EXPONENTS: Readonly<Record<string, number>> = {
  BIF: 0, CLP: 0, DJF: 0, GNF: 0, ISK: 0, JPY: 0, KMF: 0, KRW: 0, PYG: 0, RWF: 0,
  UGX: 0, UYI: 0, VND: 0, VUV: 0, XAF: 0, XOF: 0, XPF: 0,
  BHD: 3, IQD: 3, JOD: 3, KWD: 3, LYD: 3, OMR: 3, TND: 3,
  CLF: 4, UYW: 4,
};

/** Returns how many decimal places the currency's minor unit has (2 for USD, 0 for JPY, 3 for KWD). */
export function currencyExponent(currency: string): number {
  return EXPONENTS[currency] ?? 2;
}
