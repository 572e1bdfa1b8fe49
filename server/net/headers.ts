/** The header look-up request handlers use; a web Headers is one (server/http/api-request.ts builds another). */
export interface HeaderReader {
  get(name: string): string | null;
}
