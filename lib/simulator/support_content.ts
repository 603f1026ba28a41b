/** Text the generator draws companies, tickets, topics and SLAs from (several scripts, on purpose). */

export const COMPANY_WORDS = [
  "Acme",
  "Globex",
  "Initech",
  "Umbrella",
  "Hooli",
  "Vandelay",
  "Stark",
  "Wayne",
  "Tyrell",
  "Soylent",
  "Cyberdyne",
  "Wonka",
  "Aperture",
  "Massive Dynamic",
  "Oscorp",
  "Nakatomi",
] as const;

export const COMPANY_SUFFIXES = [
  "Inc.",
  "Ltd",
  "GmbH",
  "Labs",
  "Group",
  "Systems",
  "Logistics",
] as const;

/** Companies with non-Latin names, for full-text search in other scripts. */
export const NON_LATIN_COMPANIES = [
  "株式会社さくら物流",
  "東京データ株式会社",
  "ООО Ромашка",
  "شركة الأفق للتقنية",
] as const;

export const INDUSTRIES = [
  "Software",
  "Retail",
  "Manufacturing",
  "Healthcare",
  "Finance",
  "Logistics",
  "Education",
] as const;

export const PLANS = [
  { id: "9001", name: "Free" },
  { id: "9002", name: "Pro" },
  { id: "9003", name: "Enterprise" },
] as const;

export const REGIONS = ["EMEA", "NA", "APAC", "LATAM"] as const;

export const LOCATIONS = [
  { country: "Ireland", region: "Leinster", city: "Dublin" },
  { country: "United States", region: "California", city: "San Francisco" },
  { country: "United States", region: "New York", city: "New York" },
  { country: "Japan", region: "Tokyo", city: "Tokyo" },
  { country: "Germany", region: "Berlin", city: "Berlin" },
  { country: "Brazil", region: "São Paulo", city: "São Paulo" },
  { country: "Egypt", region: "Cairo", city: "Cairo" },
] as const;

export const TICKET_TITLES = [
  "Billing discrepancy on the last invoice",
  "Refund not received for order #4821",
  "SSO login fails for the whole team",
  "Export to CSV times out",
  "Webhook deliveries delayed",
  "Mobile app crashes on launch",
  "Request to raise API rate limits",
  "請求書の金額が違います",
  "Не проходит оплата картой",
  "مشكلة في تسجيل الدخول",
] as const;

export const TICKET_DESCRIPTIONS = [
  "Customer reports being charged twice this month.",
  "Since the last release, users see error 503 when uploading files.",
  "The customer needs this fixed before their quarterly close.",
  "Reproduced on Safari 17; Chrome works.",
  "Engineering investigating; see linked tracker.",
  "顧客は至急の対応を希望しています。",
  "Клиент ждёт ответа с понедельника.",
] as const;

export const TOPICS = [
  { id: 8301, name: "Billing" },
  { id: 8302, name: "Login & access" },
  { id: 8303, name: "Bugs" },
  { id: 8304, name: "Feature requests" },
  { id: 8305, name: "Integrations" },
  { id: 8306, name: "Account changes" },
] as const;

export const SLA_NAMES = ["First response in 1h", "VIP: reply in 15m", "Resolve in 1 business day"];

export const FIN_SOURCES = [
  "Fin for billing questions",
  "Fin general workflow",
  "Fin: login troubleshooting",
] as const;

export const HELP_ARTICLES = [
  { title: "Resetting your password", url: "https://help.example.com/articles/42" },
  { title: "Understanding your invoice", url: "https://help.example.com/articles/7" },
  { title: "Exporting your data", url: "https://help.example.com/articles/19" },
] as const;

export const ATTACHMENTS = [
  { name: "screenshot.png", content_type: "image/png", width: 1280, height: 800 },
  { name: "invoice-2026-03.pdf", content_type: "application/pdf", width: 0, height: 0 },
  { name: "error.log", content_type: "text/plain", width: 0, height: 0 },
  { name: "写真.jpg", content_type: "image/jpeg", width: 640, height: 480 },
] as const;
