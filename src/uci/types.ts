// The in-memory shape of one UCI package (a file under /etc/config), shared by the parser,
// the serializer, the store and the renderers. Order is significant everywhere: sections keep
// file order, options keep insertion order (a Map, since option names may look numeric).
export type UciValue = string | string[];

export interface UciSection {
  type: string;
  /** The section's name; for an anonymous section the generated `cfgXXXXXX` name. */
  name: string;
  anonymous: boolean;
  options: Map<string, UciValue>;
}

export interface UciPackage {
  name: string;
  sections: UciSection[];
}
