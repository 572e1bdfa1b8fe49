import { initTRPC, TRPCError } from "@trpc/server";
import type { TRPC_ERROR_CODE_KEY } from "@trpc/server/rpc";
import type { ZodError } from "zod";
import { authenticate } from "../auth/authenticate";
import { type AuthUser, canUseUi, hasRole, type Role } from "../auth/roles";
import { noteStorageError, storageMessage } from "../db/storage";
import { type Instance, instance } from "../instance/instance";
import type { Actor } from "../records/types";
import { isRecordError, type RecordError } from "../util/errors";

export interface Context {
  inst: Instance;
  user: AuthUser | null;
  /** Why authentication failed (shown to the caller), when it did. */
  authFailure: { status: 401 | 403 | 429; message: string; retryAfterSeconds?: number } | null;
}

/** Context of one tRPC request: the instance and who is calling (session cookie, or Basic). */
export async function createContext(request: Request, inst?: Instance): Promise<Context> {
  const resolved = inst ?? (await instance());
  const auth = await authenticate(request, resolved);
  return auth.ok
    ? { inst: resolved, user: auth.user, authFailure: null }
    : {
        inst: resolved,
        user: null,
        authFailure:
          auth.status === 429
            ? { status: 429, message: auth.detail, retryAfterSeconds: auth.retryAfterSeconds }
            : { status: auth.status, message: auth.message },
      };
}

const codeOfStatus: Record<RecordError["status"], TRPC_ERROR_CODE_KEY> = {
  400: "BAD_REQUEST",
  401: "UNAUTHORIZED",
  403: "FORBIDDEN",
  404: "NOT_FOUND",
  409: "CONFLICT",
  413: "PAYLOAD_TOO_LARGE",
  429: "TOO_MANY_REQUESTS",
};

const t = initTRPC.context<Context>().create({
  // The form shows a record-service error next to the field it names, with its detail.
  // Input that fails its zod schema reads as its first problem, not as a JSON dump of issues.
  errorFormatter({ shape, error }) {
    const cause = isRecordError(error.cause) ? error.cause : null;
    const issue = isZodError(error.cause) ? error.cause.issues[0] : undefined;
    const issueField = issue?.path.at(-1);
    return {
      ...shape,
      message: issue ? issue.message : shape.message,
      data: {
        ...shape.data,
        field: cause?.field ?? (typeof issueField === "string" ? issueField : null),
        detail: cause?.detail ?? null,
      },
    };
  },
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

/** A ZodError from any bundle's copy of zod (see isRecordError for why not instanceof). */
function isZodError(error: unknown): error is ZodError {
  return error instanceof Error && error.name === "ZodError" && Array.isArray((error as ZodError).issues);
}

/**
 * Turns a RecordError (the domain's "you can fix this" error) into the matching tRPC error, a
 * schema violation found by a domain function (sync configuration validates its own input) into
 * a 400, and storage trouble (disk full, database busy) into SERVICE_UNAVAILABLE (503) naming the
 * cause, as the REST mapping does (`server/http/responses.ts`).
 */
const recordErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (result.ok) return result;
  const cause = result.error.cause;
  if (isRecordError(cause)) {
    throw new TRPCError({ code: codeOfStatus[cause.status], message: cause.message, cause });
  }
  if (isZodError(cause) && result.error.code === "INTERNAL_SERVER_ERROR") {
    throw new TRPCError({ code: "BAD_REQUEST", message: cause.issues[0]?.message ?? "Invalid input", cause });
  }
  const problem = noteStorageError(cause);
  if (problem) {
    const { message, detail } = storageMessage[problem];
    throw new TRPCError({
      code: "SERVICE_UNAVAILABLE",
      message: `${message}: ${detail}`,
      cause: result.error,
    });
  }
  return result;
});

export const publicProcedure = t.procedure.use(recordErrors);

/** A signed-in user who may use the UI (pure sync_api accounts may not). */
export const uiProcedure = publicProcedure.use(({ ctx, next }) => {
  const { user } = ctx;
  if (!user) {
    const status = ctx.authFailure?.status;
    throw new TRPCError({
      code: status === 403 ? "FORBIDDEN" : status === 429 ? "TOO_MANY_REQUESTS" : "UNAUTHORIZED",
      message: ctx.authFailure?.message ?? "Sign in to continue",
    });
  }
  if (!canUseUi(user)) {
    throw new TRPCError({ code: "FORBIDDEN", message: "This account may not use the Tandem UI" });
  }
  const actor: Actor = { userName: user.userName, origin: "ui" };
  return next({ ctx: { ...ctx, user, actor } });
});

/** A UI user holding one of the roles (admin holds all). */
export function roleProcedure(...anyOf: Role[]) {
  return uiProcedure.use(({ ctx, next }) => {
    if (!hasRole(ctx.user, ...anyOf)) {
      throw new TRPCError({ code: "FORBIDDEN", message: `Needs one of the roles: ${anyOf.join(", ")}` });
    }
    return next();
  });
}
