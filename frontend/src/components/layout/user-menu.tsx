import { useQueryClient } from "@tanstack/react-query";
import { LogOutIcon, UserIcon } from "lucide-react";
import { useRef } from "react";
import { useAuth } from "react-oidc-context";
import { useNavigate } from "react-router";

import { logout } from "@/api/auth";
import { notifyError } from "@/api/errors";
import { Avatar, AvatarFallback } from "@/components/ui/avatar";
import { Button } from "@/components/ui/button";
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuLabel,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from "@/components/ui/dropdown-menu";
import { useApi } from "@/hooks/use-api";
import { LOGIN_PATH, type LoginState } from "@/hooks/use-expire-session";

function initials(nameOrEmail: string): string {
  const words = nameOrEmail.split(/[\s@.]+/).filter(Boolean);
  return (words.length > 1 ? `${words[0]?.[0]}${words[1]?.[0]}` : nameOrEmail.slice(0, 2)).toUpperCase();
}

/** Avatar menu: who is signed in, the profile page and sign-out. */
export function UserMenu() {
  const { user } = useAuth();
  const api = useApi();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const signingOut = useRef(false);

  const name = user?.profile.name ?? "";
  const email = user?.profile.email ?? "";
  const display = name || email || "User";

  const signOut = async () => {
    if (signingOut.current) return;
    signingOut.current = true;
    try {
      // Ends the sessions at the identity provider; a failure is reported, and local sign-out happens regardless.
      await logout(api);
    } catch (error) {
      notifyError(error);
    }
    const state: LoginState = { signedOut: true };
    // The login page removes the user once it is shown (see LoginPage).
    await navigate(LOGIN_PATH, { replace: true, state });
    queryClient.clear();
  };

  return (
    <DropdownMenu>
      <DropdownMenuTrigger asChild>
        <Button variant="ghost" size="icon" className="rounded-full" data-testid="user-menu">
          {/* Named by hidden text, not aria-label: a label that omits the visible initials fails WCAG 2.5.3. */}
          <span className="sr-only">User menu</span>
          <Avatar aria-hidden="true">
            <AvatarFallback>{initials(display)}</AvatarFallback>
          </Avatar>
        </Button>
      </DropdownMenuTrigger>
      <DropdownMenuContent align="end" className="w-56">
        <DropdownMenuLabel className="flex flex-col">
          <span className="truncate font-medium" data-testid="user-name">
            {display}
          </span>
          {email && email !== display && <span className="truncate text-xs text-muted-foreground">{email}</span>}
        </DropdownMenuLabel>
        <DropdownMenuSeparator />
        <DropdownMenuItem onSelect={() => void navigate("/profile")} data-testid="menu-profile">
          <UserIcon aria-hidden="true" />
          Profile
        </DropdownMenuItem>
        <DropdownMenuItem onSelect={() => void signOut()} data-testid="sign-out">
          <LogOutIcon aria-hidden="true" />
          Sign out
        </DropdownMenuItem>
      </DropdownMenuContent>
    </DropdownMenu>
  );
}
