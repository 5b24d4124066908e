// What the OpenWrt adapter needs of ubus: one call. The daemon passes our src/ubus client;
// tests pass a double that answers with recorded rpcd/netifd replies.
export type UbusCall = (object: string, method: string, args?: Record<string, unknown>) => Promise<Record<string, unknown> | undefined>;

/** The interfaces of `ubus call network.interface dump` that we read. */
export interface NetifdInterface {
  interface: string;
  up?: boolean;
  l3_device?: string;
  device?: string;
}

export async function dumpInterfaces(ubus: UbusCall): Promise<NetifdInterface[]> {
  const reply = await ubus("network.interface", "dump");
  return (reply?.interface as NetifdInterface[] | undefined) ?? [];
}
