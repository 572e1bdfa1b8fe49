// Paging headers of list responses, as ServiceNow sends them: X-Total-Count with the number of
// matching records, and a Link header with first / prev / next / last page URLs.

export interface Page {
  total: number;
  limit: number;
  offset: number;
}

export function pagingHeaders(requestUrl: URL, baseUrl: string, page: Page): Record<string, string> {
  const { total, limit, offset } = page;
  const link = (at: number, rel: string) => {
    const url = new URL(requestUrl.pathname + requestUrl.search, baseUrl);
    url.searchParams.set("sysparm_limit", String(limit));
    url.searchParams.set("sysparm_offset", String(at));
    return `<${url.toString()}>;rel="${rel}"`;
  };
  const lastOffset = total === 0 ? 0 : Math.floor((total - 1) / limit) * limit;
  const links = [link(0, "first")];
  if (offset > 0) links.push(link(Math.max(0, offset - limit), "prev"));
  if (offset + limit < total) links.push(link(offset + limit, "next"));
  links.push(link(lastOffset, "last"));
  return { "X-Total-Count": String(total), Link: links.join(",") };
}
