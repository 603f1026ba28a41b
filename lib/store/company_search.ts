/** Company search: words in the name (4×) and the rest of `company_documents`; by name without. */
import type { SQLInputValue } from "node:sqlite";
import type { Connection, Row } from "./database.ts";
import { parseQuery } from "./fts_query.ts";
import { queryNotes } from "./search_filters.ts";
import { RANK_LIMIT } from "./search_plans.ts";
import { supportFtsExpression } from "./support_search.ts";
import type { CompanyHit, CompanySearch, CompanySearchResult } from "./support_types.ts";
import { clampInt, intOrNull, likeContains, textOrNull } from "./_values.ts";
import { hasSupportTables } from "./company_filter.ts";

function companyHit(row: Row): CompanyHit {
  return {
    id: String(row.id),
    company_id: textOrNull(row.company_id),
    name: textOrNull(row.name),
    plan: textOrNull(row.plan_name),
    size: intOrNull(row.size),
    website: textOrNull(row.website),
    industry: textOrNull(row.industry),
    monthly_spend: row.monthly_spend === null ? null : Number(row.monthly_spend),
    user_count: intOrNull(row.user_count),
    updated_at: Number(row.updated_at),
    rank: row.rank === null || row.rank === undefined ? null : Number(row.rank),
  };
}

const COMPANY_COLUMNS = "c.id, c.company_id, c.name, c.plan_name, c.size, c.website, " +
  "c.industry, c.monthly_spend, c.user_count, c.updated_at";

/** Companies matching every filter of `search`: by relevance with text, by name without. */
export function searchCompanies(conn: Connection, search: CompanySearch): CompanySearchResult {
  if (!hasSupportTables(conn)) return { total: 0, hits: [] };
  const limit = clampInt(search.limit, { fallback: 20, min: 1, max: 100 });
  const offset = clampInt(search.offset, { fallback: 0, min: 0, max: Number.MAX_SAFE_INTEGER });
  const text = search.text?.trim() ?? "";
  const parsed = parseQuery(text);
  if (text !== "" && parsed.clauses.length === 0) {
    const note = `The query "${text.slice(0, 100)}" has no searchable words (only punctuation, ` +
      "symbols or operators), so it matches nothing: send words of a name, website, industry, " +
      "plan or tag, or leave query out to list companies by name.";
    return { total: 0, hits: [], notes: [note] };
  }
  const notes = queryNotes(text, parsed);
  const where: string[] = [];
  const params: SQLInputValue[] = [];
  // Clauses in a script written without spaces: substrings of the name or the rest (few rows).
  const unspaced = parsed.clauses.filter((c) => c.some((t) => t.unspaced));
  const terms = parsed.clauses.filter((c) => !unspaced.includes(c));
  for (const clause of unspaced) {
    where.push(
      `(${
        clause.map(() => "c.name LIKE ? ESCAPE '\\' OR c.search_text LIKE ? ESCAPE '\\'").join(
          " OR ",
        )
      })`,
    );
    for (const term of clause) params.push(likeContains(term.text), likeContains(term.text));
  }
  if (search.plan?.trim()) {
    where.push("c.plan_name = ?");
    params.push(search.plan.trim());
  }
  if (search.industry?.trim()) {
    where.push("c.industry = ?");
    params.push(search.industry.trim());
  }
  const filter = where.length === 0 ? "1" : where.join(" AND ");
  return conn.snapshot(() => {
    if (terms.length === 0) {
      const total = Number(
        conn.get(`SELECT count(*) AS n FROM companies c WHERE ${filter}`, ...params)?.n,
      );
      const rows = conn.all(
        `SELECT ${COMPANY_COLUMNS} FROM companies c WHERE ${filter} ` +
          "ORDER BY c.name, c.id LIMIT ? OFFSET ?",
        ...params,
        limit,
        offset,
      );
      return { total, hits: rows.map(companyHit), notes };
    }
    const match = supportFtsExpression(terms, "name details");
    const from = "FROM companies_fts JOIN companies c ON c.doc_id = companies_fts.rowid " +
      `WHERE companies_fts MATCH ? AND ${filter}`;
    const total = Number(conn.get(`SELECT count(*) AS n ${from}`, match, ...params)?.n);
    const ranked = total <= RANK_LIMIT;
    const rows = conn.all(
      `SELECT ${COMPANY_COLUMNS}, ${ranked ? "bm25(companies_fts, 4.0, 1.0)" : "NULL"} AS rank ` +
        `${from} ` +
        `ORDER BY ${ranked ? "rank, " : ""}c.name, c.id LIMIT ? OFFSET ?`,
      match,
      ...params,
      limit,
      offset,
    );
    return { total, hits: rows.map(companyHit), notes };
  });
}
