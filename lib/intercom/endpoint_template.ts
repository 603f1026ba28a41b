/**
 * An API call's endpoint as a template (`GET /conversations/{id}`), so that counters by
 * endpoint have a small, fixed set of label values however many conversations are fetched.
 */

const FIXED_WORDS = new Set(["search", "scroll", "list"]);

/** `("GET", "/conversations/123?x=1")` → `"GET /conversations/{id}"`. */
export function endpointTemplate(method: string, path: string): string {
  const segments = path.split("?")[0]!.split("/").map((segment, i, all) => {
    if (i === 0 || segment === "") return segment;
    const parent = all[i - 1];
    const isCollection = parent === "conversations" || parent === "contacts" ||
      parent === "admins" || parent === "teams" || parent === "tags" ||
      parent === "tickets" || parent === "companies";
    // a collection's child is an id unless it is one of the API's fixed words
    if (isCollection && !FIXED_WORDS.has(segment)) return "{id}";
    return /\d/.test(segment) ? "{id}" : segment;
  });
  return `${method} ${segments.join("/")}`;
}
