import { stringify } from 'csv-stringify/sync';
import { reviewColumns, type ReviewRow } from '../../shared/review';

/**
 * Spreadsheets run a cell that starts with = + - @ (or a tab or return) as a formula; a
 * leading apostrophe keeps such text as text (OWASP's advice for CSV injection).
 */
function cell(value: string): string {
	return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/**
 * The review's rows as CSV (RFC 4180, CRLF): a header of the contract's field names, then
 * one line per district and day; a target not set is an empty cell.
 */
export function reviewCsv(rows: readonly ReviewRow[]): string {
	return stringify(
		rows.map((r) =>
			reviewColumns.map((c) => {
				const v = r[c];
				if (v === null) return '';
				return typeof v === 'string' ? cell(v) : String(v);
			})
		),
		{ header: true, columns: [...reviewColumns], record_delimiter: 'windows' }
	);
}
