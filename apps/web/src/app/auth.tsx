import type { Action, Me } from '@zhiyang/shared';
import { Flex, Spin } from 'antd';
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { Navigate, Outlet, useLocation } from 'react-router';
import { authApi } from '../api/auth.ts';
import { onAuthProblem } from './api.ts';

interface AuthContextValue {
  me: Me | null;
  /** True until the first `GET /auth/me` has answered. */
  loading: boolean;
  /** Set when the server ended the session under us (shown on the login page). */
  sessionExpired: boolean;
  login(username: string, password: string): Promise<Me>;
  logout(): Promise<void>;
  refresh(): Promise<Me | null>;
  can(action: Action): boolean;
}

const AuthContext = createContext<AuthContextValue | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const [me, setMe] = useState<Me | null>(null);
  const [loading, setLoading] = useState(true);
  const [sessionExpired, setSessionExpired] = useState(false);

  const refresh = useCallback(async () => {
    try {
      const next = await authApi.me({ quiet401: true });
      setMe(next);
      return next;
    } catch {
      setMe(null);
      return null;
    } finally {
      setLoading(false);
    }
  }, []);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  useEffect(
    () =>
      onAuthProblem((problem) => {
        if (problem === 'unauthorized') {
          // Only calls made while signed in fire this (login and the first `me` are quiet).
          setSessionExpired(true);
          setMe(null);
        } else {
          void refresh();
        }
      }),
    [refresh],
  );

  const value = useMemo<AuthContextValue>(
    () => ({
      me,
      loading,
      sessionExpired,
      async login(username, password) {
        const res = await authApi.login({ body: { username, password }, quiet401: true });
        setSessionExpired(false);
        setMe(res.user);
        return res.user;
      },
      async logout() {
        try {
          await authApi.logout({ quiet401: true });
        } finally {
          setSessionExpired(false);
          setMe(null);
        }
      },
      refresh,
      can: (action) => me?.permissions.includes(action) ?? false,
    }),
    [me, loading, sessionExpired, refresh],
  );

  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthContextValue {
  const value = useContext(AuthContext);
  if (!value) throw new Error('useAuth() outside <AuthProvider>');
  return value;
}

/** The signed-in user; only for components rendered under <RequireAuth>. */
export function useMe(): Me {
  const { me } = useAuth();
  if (!me) throw new Error('useMe() without a signed-in user');
  return me;
}

export function FullPageSpin() {
  return (
    <Flex align="center" justify="center" style={{ minHeight: '100vh' }}>
      <Spin size="large" />
    </Flex>
  );
}

export const LOGIN_PATH = '/console/login';
export const CHANGE_PASSWORD_PATH = '/console/change-password';

/**
 * Gate of the console: no session → login (remembering where we were);
 * password must be changed → the change-password page before anything else.
 */
export function RequireAuth() {
  const { me, loading } = useAuth();
  const location = useLocation();
  if (loading) return <FullPageSpin />;
  if (!me) {
    const next = location.pathname + location.search;
    return <Navigate to={`${LOGIN_PATH}?next=${encodeURIComponent(next)}`} replace />;
  }
  if (me.mustChangePassword && location.pathname !== CHANGE_PASSWORD_PATH) {
    return <Navigate to={CHANGE_PASSWORD_PATH} replace />;
  }
  return <Outlet />;
}
