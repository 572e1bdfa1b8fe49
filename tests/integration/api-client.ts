import { basic, type RunningInstance } from "../support/instances";

// A small HTTP client for the Table and Attachment APIs of a started instance (Node's fetch).

export interface ApiResponse<T = unknown> {
  status: number;
  headers: Headers;
  /** Parsed JSON body, or undefined for an empty / non-JSON body. */
  body: T;
}

export interface ApiErrorBody {
  error: { message: string; detail: string };
  status: "failure";
}

export type RecordJson = Record<string, unknown>;

export interface Credentials {
  user: string;
  password: string;
}

export interface RequestOptions {
  body?: unknown;
  /** Sent as is (not JSON-encoded) when set. */
  rawBody?: string | Uint8Array<ArrayBuffer>;
  headers?: Record<string, string>;
  /** Defaults to the client's credentials; null sends none. */
  auth?: Credentials | null;
}

export function apiClient(
  inst: RunningInstance,
  defaults: Credentials = { user: "admin", password: "admin" },
) {
  async function request<T = unknown>(
    method: string,
    path: string,
    options: RequestOptions = {},
  ): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = { Accept: "application/json", ...options.headers };
    const auth = options.auth === undefined ? defaults : options.auth;
    if (auth) headers.Authorization = basic(auth.user, auth.password);
    let body: string | Uint8Array<ArrayBuffer> | undefined = options.rawBody;
    if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers["Content-Type"] ??= "application/json";
    }
    const res = await fetch(`${inst.url}${path}`, { method, headers, body });
    const text = await res.text();
    let parsed: unknown;
    try {
      parsed = text === "" ? undefined : JSON.parse(text);
    } catch {
      parsed = text;
    }
    return { status: res.status, headers: res.headers, body: parsed as T };
  }

  return {
    request,
    get: <T = { result: RecordJson }>(path: string, options?: RequestOptions) =>
      request<T>("GET", path, options),
    post: <T = { result: RecordJson }>(path: string, body: unknown, options?: RequestOptions) =>
      request<T>("POST", path, { ...options, body }),
    patch: <T = { result: RecordJson }>(path: string, body: unknown, options?: RequestOptions) =>
      request<T>("PATCH", path, { ...options, body }),
    put: <T = { result: RecordJson }>(path: string, body: unknown, options?: RequestOptions) =>
      request<T>("PUT", path, { ...options, body }),
    delete: <T = undefined>(path: string, options?: RequestOptions) => request<T>("DELETE", path, options),
    /** X-Total-Count of a table (or of a query on it), for "nothing changed" checks. */
    async count(table: string, query = ""): Promise<number> {
      const q = new URLSearchParams({ sysparm_limit: "1", sysparm_fields: "sys_id", sysparm_query: query });
      const res = await request("GET", `/api/now/table/${table}?${q}`);
      if (res.status !== 200) throw new Error(`count of ${table} answered ${res.status}`);
      return Number(res.headers.get("x-total-count"));
    },
  };
}

export type ApiClient = ReturnType<typeof apiClient>;

/** Asserts the failure envelope and returns it. */
export function failureOf(res: ApiResponse<unknown>): ApiErrorBody["error"] {
  const body = res.body as ApiErrorBody;
  if (body?.status !== "failure" || typeof body.error?.message !== "string") {
    throw new Error(`Not a failure envelope (${res.status}): ${JSON.stringify(res.body)}`);
  }
  return body.error;
}
