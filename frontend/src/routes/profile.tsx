import { useQuery } from "@tanstack/react-query";

import { profileQuery } from "@/api/attributes";
import { RowsSkeleton } from "@/components/common/page-skeleton";
import { QueryError } from "@/components/common/query-error";
import { PageHeader } from "@/components/layout/page-header";
import { AttributeRow } from "@/components/profile/attribute-row";
import { PROFILE_ATTRIBUTES } from "@/components/profile/attribute-rules";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Table, TableBody } from "@/components/ui/table";
import { useApi } from "@/hooks/use-api";

/** The signed-in user's name, email and editable custom attributes. */
export function ProfilePage() {
  const query = useQuery(profileQuery(useApi()));
  return (
    <>
      <PageHeader title="Profile" description="Your details at the identity provider." />
      {query.isPending ? (
        <RowsSkeleton rows={4} />
      ) : query.isError ? (
        <QueryError error={query.error} onRetry={() => void query.refetch()} />
      ) : (
        <>
          <Card>
            <CardHeader>
              <CardTitle data-testid="profile-name">{query.data.name || "No name"}</CardTitle>
              <CardDescription data-testid="profile-email">{query.data.email}</CardDescription>
            </CardHeader>
          </Card>
          <Card>
            <CardHeader>
              <CardTitle>Attributes</CardTitle>
            </CardHeader>
            <CardContent>
              <Table>
                <TableBody>
                  {PROFILE_ATTRIBUTES.map(({ key, label }) => (
                    <AttributeRow key={key} attribute={key} label={label} value={query.data.custom_attributes[key]} />
                  ))}
                </TableBody>
              </Table>
            </CardContent>
          </Card>
        </>
      )}
    </>
  );
}
