/**
 * A small RFC 4180 CSV reader: quoted fields may hold commas, doubled quotes and newlines. Returns rows with the
 * named columns; throws if the header lacks one.
 */
export function parseCsv<K extends string>(text: string, columns: readonly K[]): Record<K, string>[] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  for (let i = 0; i < src.length; i++) {
    const c = src.charAt(i);
    if (quoted) {
      if (c === '"') {
        if (src.charAt(i + 1) === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && src.charAt(i + 1) === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  const [header = [], ...body] = rows;
  const at = columns.map((c) => {
    const i = header.indexOf(c);
    if (i < 0) throw new Error(`CSV column ${c} is missing`);
    return i;
  });
  return body
    .filter((r) => r.length > 1 || r[0] !== '')
    .map((r) => Object.fromEntries(columns.map((c, n) => [c, r[at[n] ?? -1] ?? ''])) as Record<K, string>);
}
