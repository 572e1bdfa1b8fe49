import { type NextRequest, NextResponse } from "next/server";
import { malformedPathResponse, pathDecodes } from "@/server/http/path-guard";

// Runs before routing (Next.js 16 "proxy", formerly middleware) for paths whose percent-encoding
// may not decode. Only those: for every request the proxy matches, Next.js buffers the body
// (cut at 10 MiB) before the route sees it, which would break streamed attachment uploads and
// the 413-before-reading limits.
export function proxy(request: NextRequest): Response {
  if (!pathDecodes(request.nextUrl.pathname)) return malformedPathResponse();
  return NextResponse.next();
}

export const config = {
  matcher: [
    // A "%" not followed by two hex digits…
    "/(.*%(?![0-9A-Fa-f][0-9A-Fa-f]).*)",
    // …or an encoded byte above 0x7f, which may not be UTF-8.
    "/(.*%[89A-Fa-f][0-9A-Fa-f].*)",
  ],
};
