/** Intercom's regional API hosts, and parsing a region name given on the command line. */
import { InputError } from "../errors.ts";

/** The data-hosting regions Intercom serves its REST API from. */
export type Region = "us" | "eu" | "au";

/** The API base URL of each region (no trailing slash). */
export const REGION_HOSTS: Readonly<Record<Region, string>> = Object.freeze({
  us: "https://api.intercom.io",
  eu: "https://api.eu.intercom.io",
  au: "https://api.au.intercom.io",
});

/** Parses a region name ("us", "EU", " au ") into a {@link Region}; throws InputError otherwise. */
export function parseRegion(text: string): Region {
  const region = text.trim().toLowerCase();
  if (Object.hasOwn(REGION_HOSTS, region)) return region as Region;
  throw new InputError(
    `Unknown Intercom region "${text}": use one of ${Object.keys(REGION_HOSTS).join(", ")} ` +
      "(the region your workspace's data is hosted in)",
  );
}
