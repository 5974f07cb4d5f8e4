/** Parses a response body as JSON; returns `undefined` for an empty or non-JSON body. */
export function parseJsonText(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
