import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { UsersIcon } from "lucide-react";

import { membersQuery, type MemberStatus } from "@/api/members";
import { Permission } from "@/auth/rbac";
import { RequirePermission } from "@/auth/require-permission";
import { CursorPager } from "@/components/common/cursor-pager";
import { EmptyState } from "@/components/common/empty-state";
import { RowsSkeleton } from "@/components/common/page-skeleton";
import { QueryError } from "@/components/common/query-error";
import { PageHeader } from "@/components/layout/page-header";
import { InviteMemberForm } from "@/components/members/invite-member-form";
import { MemberActions } from "@/components/members/member-actions";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { useApi } from "@/hooks/use-api";
import { useCursorPages } from "@/hooks/use-cursor-pages";

const STATUS_VARIANT: Record<MemberStatus, "success" | "warning" | "outline" | "destructive"> = {
  active: "success",
  suspended: "warning",
  invited: "outline",
  disabled: "destructive",
};

function MembersTable() {
  const api = useApi();
  const pages = useCursorPages();
  const query = useQuery({ ...membersQuery(api, pages.cursor), placeholderData: keepPreviousData });

  if (query.isPending) return <RowsSkeleton />;
  if (query.isError) return <QueryError error={query.error} onRetry={() => void query.refetch()} />;
  const { items, next_cursor: nextCursor } = query.data;
  if (items.length === 0 && pages.isFirstPage) {
    return <EmptyState icon={UsersIcon} title="No members yet" description="Invite someone to this tenant." />;
  }
  return (
    <div className="flex flex-col gap-4">
      <Table data-testid="members-table">
        <TableHeader>
          <TableRow>
            <TableHead>Member</TableHead>
            <TableHead>Roles in this tenant</TableHead>
            <TableHead>Status</TableHead>
            <TableHead>
              <span className="sr-only">Actions</span>
            </TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {items.map((member) => (
            <TableRow key={member.user_id}>
              <TableCell>
                <div className="font-medium">{member.name || member.email}</div>
                {member.name && <div className="text-xs text-muted-foreground">{member.email}</div>}
              </TableCell>
              <TableCell>
                <div className="flex flex-wrap gap-1">
                  {member.roles.map((role) => (
                    <Badge key={role} variant="secondary">
                      {role}
                    </Badge>
                  ))}
                </div>
              </TableCell>
              <TableCell>
                <Badge variant={STATUS_VARIANT[member.status] ?? "outline"}>{member.status}</Badge>
              </TableCell>
              <TableCell>
                <RequirePermission permission={Permission.MEMBERS_REMOVE}>
                  <MemberActions member={member} />
                </RequirePermission>
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      <CursorPager pages={pages} nextCursor={nextCursor} loading={query.isPlaceholderData} />
    </div>
  );
}

/** Members of the active tenant (members.invite; the route is gated on it). */
export function MembersPage() {
  return (
    <>
      <PageHeader title="Members" description="People in the active tenant and their roles here." />
      <Card>
        <CardHeader>
          <CardTitle>Invite member</CardTitle>
        </CardHeader>
        <CardContent>
          <InviteMemberForm />
        </CardContent>
      </Card>
      <MembersTable />
    </>
  );
}
