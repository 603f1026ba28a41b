/**
 * Text the generator draws from: names (Latin and non-Latin), message sentences with HTML,
 * entities, emoji, Japanese, Cyrillic and Arabic, and email subjects.
 */
import type { Prng } from "./prng.ts";

export const FIRST_NAMES = [
  "Alice",
  "Bruno",
  "Chloé",
  "Daniel",
  "Emma",
  "Fatima",
  "Georg",
  "Hana",
  "Isabel",
  "João",
  "Kwame",
  "Liam",
  "Maya",
  "Noah",
  "Olga",
  "Priya",
  "Quentin",
  "Rosa",
  "Sven",
  "Tomás",
  "Uma",
  "Victor",
  "Wei",
  "Yara",
  "Zoë",
  "Siobhán",
  "Łukasz",
  "Aroha",
] as const;

export const LAST_NAMES = [
  "Anderson",
  "Bianchi",
  "Castillo",
  "Dubois",
  "Eriksson",
  "Fischer",
  "García",
  "Hughes",
  "Jensen",
  "Kowalski",
  "López",
  "Müller",
  "Nakamura",
  "O'Brien",
  "Patel",
  "Quinn",
  "Rossi",
  "Schmidt",
  "Tanaka",
  "Vargas",
  "Williams",
  "Xu",
  "Yılmaz",
  "Zhang",
  "Ngata",
] as const;

/** Full names written in non-Latin scripts, with a Latin email local part to go with them. */
export const NON_LATIN_NAMES: readonly (readonly [string, string])[] = [
  ["田中 太郎", "tanaka.taro"],
  ["佐藤 花子", "sato.hanako"],
  ["鈴木 一郎", "suzuki.ichiro"],
  ["Иван Петров", "ivan.petrov"],
  ["Анна Смирнова", "anna.smirnova"],
  ["Дмитрий Козлов", "d.kozlov"],
  ["محمد علي", "m.ali"],
  ["فاطمة الزهراء", "fatima.z"],
  ["أحمد حسن", "ahmed.hassan"],
  ["김민준", "minjun.kim"],
  ["王芳", "wang.fang"],
  ["Νίκος Παπαδόπουλος", "nikos.p"],
];

export const ADMIN_JOB_TITLES = [
  "Support Engineer",
  "Support Lead",
  "Customer Success Manager",
  "Billing Specialist",
  "Head of Support",
  null,
] as const;

export const TEAM_NAMES = ["Support", "Billing", "Technical Escalations", "Sales"] as const;

export const TAG_NAMES = [
  "billing",
  "bug",
  "feature-request",
  "VIP",
  "refund",
  "onboarding",
  "churn-risk",
  "login",
  "mobile",
  "API",
  "urgent",
  "feedback",
  "enterprise",
  "返金",
  "жалоба",
] as const;

export const EMAIL_DOMAINS = ["example.com", "example.org", "mail.example.net", "example.jp"];

const CUSTOMER_SENTENCES = [
  "Hi, I can't log in since this morning.",
  "My invoice shows the wrong amount &amp; currency.",
  "Is there a way to export my data to CSV?",
  "The app crashes when I open the settings page.",
  "Thanks — that fixed it! 🎉",
  "Could you check order #4821 for me?",
  "I was charged twice this month 😕",
  "Where can I change my password?",
  "The &quot;Save&quot; button does nothing on Safari.",
  "Can I add a second admin to my account?",
  "ログインできません。助けてください。",
  "請求書の金額が違います。",
  "Здравствуйте! Не могу оплатить заказ.",
  "Спасибо, всё работает 👍",
  "مرحبا، لا أستطيع تسجيل الدخول.",
  "شكرا جزيلا لمساعدتك",
  "It says &lt;error 503&gt; when I upload a file.",
  "Any update on this? 🙏",
] as const;

const ADMIN_SENTENCES = [
  "Thanks for reaching out!",
  "I've escalated this to our billing team.",
  "Could you send a screenshot of the error?",
  'Here is the guide: <a href="https://help.example.com/articles/42">Resetting your password</a>.',
  "Let me know if there's anything else 👍",
  "I've refunded the duplicate charge; it takes 3&ndash;5 days to appear.",
  "Use &lt;Ctrl&gt; + &lt;S&gt; to save a draft.",
  'See <a href="https://status.example.com">our status page</a> for live updates.',
  "お問い合わせありがとうございます 🙏",
  "Мы уже работаем над этим.",
  "تم حل المشكلة، شكرا لصبرك.",
  "I'm closing this for now &mdash; reply any time to reopen.",
] as const;

const NOTE_SENTENCES = [
  "Customer is on the legacy plan.",
  "VIP — handle with care ⭐",
  "Bug filed: ENG-1234",
  "See previous thread with &quot;billing&quot; tag.",
  "Waiting on engineering; follow up Friday.",
  "顧客は日本語を希望しています。",
  "Клиент просит перезвонить.",
] as const;

export const EMAIL_SUBJECTS = [
  "Problem with my invoice",
  "Can't log in",
  "Feature request: dark mode",
  "Refund request for order #4821",
  "Question about the API rate limits",
  "ログインの問題",
  "Вопрос по оплате",
  "استفسار عن الفاتورة",
  "Re: Your subscription 🎉",
] as const;

/** The kinds of body the generator draws from. */
export type BodyKind = "customer" | "admin" | "note";

const SENTENCES: Record<BodyKind, readonly string[]> = {
  customer: CUSTOMER_SENTENCES,
  admin: ADMIN_SENTENCES,
  note: NOTE_SENTENCES,
};

/** One HTML body of 1–3 paragraphs, sometimes with a `<br>` or `&nbsp;` inside. */
export function htmlBody(rng: Prng, kind: BodyKind): string {
  const sentences = SENTENCES[kind];
  const paragraphs: string[] = [];
  const count = rng.int(1, 3);
  for (let i = 0; i < count; i++) {
    let text = rng.pick(sentences);
    if (rng.chance(0.25)) text += "<br>" + rng.pick(sentences);
    else if (rng.chance(0.1)) text += "&nbsp;" + rng.pick(sentences);
    paragraphs.push(`<p>${text}</p>`);
  }
  return paragraphs.join("");
}

/** A fixed pool of bodies per kind, so parts share strings instead of each holding its own. */
export interface BodyPool {
  pick(kind: BodyKind): string;
}

/** Builds a body pool of `size` bodies per kind from `rng`. */
export function createBodyPool(rng: Prng, size = 512): BodyPool {
  const pools: Record<BodyKind, string[]> = { customer: [], admin: [], note: [] };
  for (const kind of Object.keys(pools) as BodyKind[]) {
    for (let i = 0; i < size; i++) pools[kind].push(htmlBody(rng, kind));
  }
  return { pick: (kind) => rng.pick(pools[kind]) };
}
