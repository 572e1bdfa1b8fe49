// A path whose percent-encoding does not decode (`%zz`, a lone `%`, the bytes of a lone UTF-16
// surrogate) cannot name any page or resource. Next.js answers such paths with a bare 500 when
// it decodes the dynamic segments, so they are refused with a 400 before routing.

/** Whether every segment of a raw (still encoded) URL path decodes as UTF-8. */
export function pathDecodes(rawPath: string): boolean {
  for (const segment of rawPath.split("/")) {
    if (!segment.includes("%")) continue;
    try {
      decodeURIComponent(segment);
    } catch {
      return false;
    }
  }
  return true;
}

/** The 400 for a malformed path, in the Table API's error shape (SPEC 1.4). */
export function malformedPathResponse(): Response {
  return Response.json(
    {
      error: { message: "Malformed URL", detail: "The path has percent-encoding that does not decode" },
      status: "failure",
    },
    { status: 400 },
  );
}
