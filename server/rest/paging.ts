// Paging headers of list responses, as ServiceNow sends them: X-Total-Count with the number of
// matching records, and a Link header with first / prev / next / last page URLs.

export interface Page {
  total: number;
  limit: number;
  offset: number;
}

/**
 * The Link header repeats the request's query up to four times: a long query (the fuzz suite's
 * seed 3462169592 sent 6 KB) made the answer's headers larger than clients read (undici: 16 KB),
 * so a valid request got no readable answer. Only the sysparm_ parameters the API honours are
 * carried, and past this size the Link header is left out (X-Total-Count still pages).
 */
const MAX_LINK_HEADER_CHARS = 8 * 1024;

export function pagingHeaders(requestUrl: URL, baseUrl: string, page: Page): Record<string, string> {
  const { total, limit, offset } = page;
  const link = (at: number, rel: string) => {
    const url = new URL(requestUrl.pathname, baseUrl);
    for (const [name, value] of requestUrl.searchParams)
      if (name.startsWith("sysparm_")) url.searchParams.append(name, value);
    url.searchParams.set("sysparm_limit", String(limit));
    url.searchParams.set("sysparm_offset", String(at));
    return `<${url.toString()}>;rel="${rel}"`;
  };
  const lastOffset = total === 0 ? 0 : Math.floor((total - 1) / limit) * limit;
  const links = [link(0, "first")];
  if (offset > 0) links.push(link(Math.max(0, offset - limit), "prev"));
  if (offset + limit < total) links.push(link(offset + limit, "next"));
  links.push(link(lastOffset, "last"));
  const header = links.join(",");
  if (header.length > MAX_LINK_HEADER_CHARS) return { "X-Total-Count": String(total) };
  return { "X-Total-Count": String(total), Link: header };
}
