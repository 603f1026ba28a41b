/**
 * Writing companies: the row and its full-text document (name; website, industry, plan,
 * custom attribute values and tags), in one transaction per call.
 */
import type { Company } from "../intercom/support_types.ts";
import { companiesChanged } from "./company_keys.ts";
import type { Connection } from "./database.ts";
import { storableJson, storableText } from "./_values.ts";

const UPSERT_COMPANY = `
INSERT INTO companies (
  doc_id, id, company_id, name, plan_id, plan_name, size, website, industry, monthly_spend,
  session_count, user_count, remote_created_at, created_at, updated_at, last_request_at,
  custom_attributes, tag_names, search_text, synced_at
) VALUES (
  :doc_id, :id, :company_id, :name, :plan_id, :plan_name, :size, :website, :industry,
  :monthly_spend, :session_count, :user_count, :remote_created_at, :created_at, :updated_at,
  :last_request_at, :custom_attributes, :tag_names, :search_text, :synced_at
)
ON CONFLICT (id) DO UPDATE SET
  company_id = excluded.company_id, name = excluded.name, plan_id = excluded.plan_id,
  plan_name = excluded.plan_name, size = excluded.size, website = excluded.website,
  industry = excluded.industry, monthly_spend = excluded.monthly_spend,
  session_count = excluded.session_count, user_count = excluded.user_count,
  remote_created_at = excluded.remote_created_at, created_at = excluded.created_at,
  updated_at = excluded.updated_at, last_request_at = excluded.last_request_at,
  custom_attributes = excluded.custom_attributes, tag_names = excluded.tag_names,
  search_text = excluded.search_text, synced_at = excluded.synced_at
`;

const FTS_DELETE = `
INSERT INTO companies_fts (companies_fts, rowid, name, details)
SELECT 'delete', doc_id, name, details FROM company_documents WHERE doc_id = ?`;

const FTS_INSERT = `
INSERT INTO companies_fts (rowid, name, details)
SELECT doc_id, name, details FROM company_documents WHERE doc_id = ?`;

/** Custom attribute values (scalars) and tag names, as one searchable text. */
function searchText(company: Company): string | null {
  const values = Object.values(company.custom_attributes)
    .filter((v) => typeof v === "string" || typeof v === "number")
    .map(String);
  const words = [...values, ...company.tags.map((t) => t.name ?? "")].filter((w) => w !== "");
  return words.length === 0 ? null : words.join(" ");
}

function params(company: Company, docId: number, syncedAt: number) {
  return {
    doc_id: docId,
    id: company.id,
    company_id: storableText(company.company_id),
    name: storableText(company.name),
    plan_id: company.plan?.id ?? null,
    plan_name: storableText(company.plan?.name ?? null),
    size: company.size,
    website: storableText(company.website),
    industry: storableText(company.industry),
    monthly_spend: company.monthly_spend,
    session_count: company.session_count,
    user_count: company.user_count,
    remote_created_at: company.remote_created_at,
    created_at: company.created_at,
    updated_at: company.updated_at,
    last_request_at: company.last_request_at,
    custom_attributes: storableJson(company.custom_attributes),
    tag_names: storableJson(company.tags.map((t) => t.name ?? t.id)),
    search_text: storableText(searchText(company)),
    synced_at: syncedAt,
  };
}

/** Inserts or replaces `companies` by id, re-indexing their text; returns how many. */
export function upsertCompanies(
  conn: Connection,
  companies: readonly Company[],
  syncedAt: number,
): number {
  return conn.transaction(() => {
    const keyed: string[] = [];
    for (const company of companies) {
      const existing = conn.get("SELECT doc_id, plan_name FROM companies WHERE id = ?", company.id);
      // A new company, or one on another plan, changes the keys of its contacts' records.
      if (
        existing === undefined || existing.plan_name !== storableText(company.plan?.name ?? null)
      ) {
        keyed.push(company.id);
      }
      let docId: number;
      if (existing !== undefined) {
        docId = Number(existing.doc_id);
        conn.run(FTS_DELETE, docId);
      } else {
        docId = Number(
          conn.get("SELECT coalesce(max(doc_id), 0) + 1 AS next FROM companies")?.next,
        );
      }
      conn.prepare(UPSERT_COMPANY).run(params(company, docId, syncedAt));
      conn.run(FTS_INSERT, docId);
    }
    companiesChanged(conn, keyed);
    return companies.length;
  });
}
