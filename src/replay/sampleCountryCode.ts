/**
 * ISO 3166-1 alpha-2 codes of the country names in the CRM sample's `office_location`.
 * A bridge normalises country names like this before the ERP sees them. "Korea" is taken
 * as the Republic of Korea (KR).
 */
export const SAMPLE_COUNTRY_CODES: Readonly<Record<string, string>> = Object.freeze({
  Belgium: 'BE',
  Brazil: 'BR',
  China: 'CN',
  Germany: 'DE',
  Italy: 'IT',
  Japan: 'JP',
  Jordan: 'JO',
  Kenya: 'KE',
  Korea: 'KR',
  Norway: 'NO',
  Panama: 'PA',
  Philippines: 'PH',
  Poland: 'PL',
  Romania: 'RO',
  'United States': 'US',
});

/**
 * Returns the ISO code of a country name, or the name unchanged when it is not in the
 * table (the sample's misspelt `Philipines`), so the ERP sees the bad value and rejects it.
 */
export function sampleCountryCode(name: string): string {
  return SAMPLE_COUNTRY_CODES[name] ?? name;
}
