import { type NextRequest, NextResponse } from "next/server";
import { malformedPathResponse, pathDecodes } from "@/server/http/path-guard";

// Runs before routing (Next.js 16 "proxy", formerly middleware). Keep it small: every request
// passes through here.
export function proxy(request: NextRequest): Response {
  if (!pathDecodes(request.nextUrl.pathname)) return malformedPathResponse();
  return NextResponse.next();
}

export const config = {
  // Static build output cannot have a malformed name worth checking.
  matcher: ["/((?!_next/static|_next/image).*)"],
};
