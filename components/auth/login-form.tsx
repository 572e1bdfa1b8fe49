"use client";

import { useActionState } from "react";
import { Button } from "../ui/button";
import { Field, inputClass } from "../ui/field";
import { initialLoginState, type LoginState } from "./login-state";

type SignIn = (previous: LoginState, form: FormData) => Promise<LoginState>;

/** Works without JavaScript too: the form posts to the server action either way. */
export function LoginForm({ action, next }: { action: SignIn; next: string }) {
  const [state, formAction, pending] = useActionState(action, initialLoginState);
  return (
    <form action={formAction} className="flex flex-col gap-4" data-testid="login-form" noValidate>
      <input type="hidden" name="next" value={next} />
      {state.error && state.field === null ? (
        <div
          role="alert"
          data-testid="login-error"
          className="rounded border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800"
        >
          {state.error}
        </div>
      ) : null}
      <Field id="userName" label="User name" error={state.field === "userName" ? state.error : null}>
        <input
          id="userName"
          name="userName"
          autoComplete="username"
          autoCapitalize="none"
          spellCheck={false}
          // biome-ignore lint/a11y/noAutofocus: the login page has one job; the cursor starts there
          autoFocus
          required
          defaultValue={state.userName}
          aria-invalid={state.field === "userName"}
          className={inputClass}
        />
      </Field>
      <Field id="password" label="Password" error={state.field === "password" ? state.error : null}>
        <input
          id="password"
          name="password"
          type="password"
          autoComplete="current-password"
          required
          aria-invalid={state.field === "password"}
          className={inputClass}
        />
      </Field>
      <Button
        type="submit"
        variant="primary"
        disabled={pending}
        className="mt-1 h-9"
        data-testid="login-submit"
      >
        {pending ? "Signing in…" : "Sign in"}
      </Button>
    </form>
  );
}
