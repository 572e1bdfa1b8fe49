export interface LoginState {
  error: string | null;
  field: "userName" | "password" | null;
  userName: string;
}

export const initialLoginState: LoginState = { error: null, field: null, userName: "" };
