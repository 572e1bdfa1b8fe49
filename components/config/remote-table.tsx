import Link from "next/link";
import { StatusBadge } from "../monitor/status-badge";
import { Table } from "./config-bits";

interface RemoteRow {
  id: string;
  name: string;
  baseUrl: string;
  outboundState: string;
  inboundState: string;
  stateMessage: string;
}

/** Remote systems with their connection and both states; one table for every list of them. */
export function RemoteSystemsTable({ remotes }: { remotes: RemoteRow[] }) {
  return (
    <Table head={["Name", "Connection", "Outbound", "Inbound", "State"]}>
      {remotes.map((r) => (
        <tr key={r.id} data-testid={`remote-row-${r.name}`}>
          <td className="px-4 py-2">
            <Link className="font-medium text-brand-700 hover:underline" href={`/sync/remotes/${r.id}`}>
              {r.name}
            </Link>
          </td>
          <td className="px-4 py-2 font-mono text-xs text-slate-600">{r.baseUrl}</td>
          <td className="px-4 py-2">
            <StatusBadge status={r.outboundState} />
          </td>
          <td className="px-4 py-2">
            <StatusBadge status={r.inboundState} />
          </td>
          <td className="max-w-sm truncate px-4 py-2 text-xs text-slate-600" title={r.stateMessage}>
            {r.stateMessage}
          </td>
        </tr>
      ))}
    </Table>
  );
}
