//! Near-duplicate detection on synthetic variants of one article (must be caught) and on other
//! articles about the same event (must not). The articles are written for this test.

use qalam_analysis::fingerprint::{Clusterer, MinHash, Thresholds};
use qalam_analysis::words::Words;

/// A wire story in five paragraphs.
const STORY: [&str; 5] = [
    "أعلنت وزارة الصحة السعودية اليوم تسجيل خمس إصابات جديدة بفيروس كورونا المسبب لمتلازمة الشرق الأوسط التنفسية في مدينة الرياض، بينها ثلاث حالات بين العاملين في القطاع الصحي.",
    "وأوضحت الوزارة في بيانها اليومي أن المصابين يتلقون العلاج في مستشفى الملك فهد بالحرس الوطني، وأن حالتين منهم في العناية المركزة وتخضعان لمتابعة دقيقة من الفريق الطبي.",
    "وأشار المتحدث الرسمي باسم الوزارة إلى أن فرق التقصي الوبائي باشرت فحص المخالطين للحالات المسجلة، وأنه تم عزل قسم الطوارئ في المستشفى بشكل مؤقت لحين الانتهاء من أعمال التعقيم.",
    "ودعت الوزارة المواطنين والمقيمين إلى الالتزام بالإرشادات الوقائية وغسل اليدين بانتظام وتجنب مخالطة الإبل، مؤكدة أن الوضع تحت السيطرة ولا يدعو إلى القلق.",
    "يذكر أن عدد الإصابات بالفيروس منذ ظهوره في المملكة عام ألفين واثني عشر بلغ أكثر من ألف حالة، توفي منها نحو أربعمائة وخمسين شخصا بحسب إحصاءات الوزارة.",
];

/// The same event reported independently (shares names and topic words, not sentences).
const SAME_EVENT: [&str; 4] = [
    "سجلت الرياض خلال الساعات الماضية حالات إصابة جديدة بمتلازمة كورونا، معظمها داخل مستشفى الحرس الوطني، ما دفع إدارة المستشفى إلى إغلاق الطوارئ مؤقتا واستقبال الحالات في مستشفيات أخرى.",
    "وقال مصدر طبي إن الكوادر الصحية المصابة كانت على تواصل مباشر مع مريض مسن نقل إلى المستشفى الأسبوع الماضي، مبينا أن نتائج الفحوص المخبرية للمخالطين ستظهر خلال أيام.",
    "وتعد هذه الزيادة الأكبر منذ أشهر، وسط مطالبات من مختصين بتشديد إجراءات مكافحة العدوى في أقسام الطوارئ وتوفير أدوات الحماية الشخصية للممرضين والأطباء.",
    "من جهتهم عبر عدد من سكان العاصمة عن قلقهم من انتشار المرض، فيما أكد أطباء أن الفيروس لا ينتقل بسهولة بين الناس خارج المنشآت الصحية.",
];

/// A later article on the same subject: the ministry's next-day update.
const FOLLOW_UP: [&str; 3] = [
    "أعلنت وزارة الصحة تسجيل حالتي وفاة بفيروس كورونا في الرياض، لترتفع حصيلة الوفيات منذ بداية الشهر، فيما تماثلت ثلاث حالات للشفاء وغادرت المستشفى.",
    "وبينت الوزارة أن المتوفيين مواطنان في العقد السابع من العمر وكانا يعانيان من أمراض مزمنة، وأن فرق الوزارة تواصل متابعة المخالطين في المنازل.",
    "وجددت الوزارة دعوتها إلى مراجعة أقرب مركز صحي عند ظهور أعراض الحمى والسعال وضيق التنفس.",
];

fn sig(paragraphs: &[&str]) -> MinHash {
    MinHash::of(&Words::new(&paragraphs.join("\n\n")))
}

fn sig_text(text: &str) -> MinHash {
    MinHash::of(&Words::new(text))
}

/// Egyptian-style spellings and clitic changes: final ي written ى, في as فى, ة as ه, and a
/// conjunction added or dropped at paragraph starts.
fn respell(text: &str) -> String {
    let words: Vec<String> = text
        .split(' ')
        .enumerate()
        .map(|(i, w)| {
            let mut w = w.to_string();
            if w == "في" {
                return "فى".to_string();
            }
            if w.ends_with('ي') && i % 2 == 0 {
                w.pop();
                w.push('ى');
            }
            if w.ends_with('ة') && i % 3 == 0 {
                w.pop();
                w.push('ه');
            }
            w
        })
        .collect();
    let out = words.join(" ");
    match out.strip_prefix('و') {
        Some(rest) => rest.to_string(),
        None => format!("و{out}"),
    }
}

#[track_caller]
fn assert_near(a: &MinHash, b: &MinHash, what: &str) {
    let t = Thresholds::default();
    assert!(
        t.near(a, b).is_some(),
        "{what}: jaccard {:.2}, containment {:.2}",
        a.jaccard(b),
        a.containment(b)
    );
}

#[track_caller]
fn assert_far(a: &MinHash, b: &MinHash, what: &str) {
    let t = Thresholds::default();
    assert!(
        t.near(a, b).is_none(),
        "{what}: jaccard {:.2}, containment {:.2}",
        a.jaccard(b),
        a.containment(b)
    );
}

#[test]
fn cut_paragraphs_are_caught() {
    let full = sig(&STORY);
    assert_near(&full, &sig(&STORY[..3]), "last two paragraphs cut");
    assert_near(
        &full,
        &sig(&[STORY[0], STORY[1], STORY[3]]),
        "two paragraphs cut",
    );
    assert_near(&full, &sig(&STORY[1..]), "lead paragraph cut");
}

#[test]
fn reordered_paragraphs_are_caught() {
    let full = sig(&STORY);
    let reordered = sig(&[STORY[0], STORY[3], STORY[1], STORY[4], STORY[2]]);
    assert!(
        full.jaccard(&reordered) > 0.8,
        "{}",
        full.jaccard(&reordered)
    );
}

#[test]
fn clitic_and_spelling_variants_are_caught() {
    let full = sig(&STORY);
    let respelled: Vec<String> = STORY.iter().map(|p| respell(p)).collect();
    let text = respelled.join("\n\n");
    assert_ne!(text, STORY.join("\n\n"));
    assert!(text.contains("فى "));
    let v = sig_text(&text);
    assert!(full.jaccard(&v) > 0.9, "{}", full.jaccard(&v));
}

#[test]
fn changed_headline_and_dateline_are_caught() {
    // Only bodies are fingerprinted; a new headline does not matter and a dateline is a few words.
    let full = sig(&STORY);
    let copy = sig_text(&format!("الرياض - واس\n{}", STORY.join("\n\n")));
    assert_near(&full, &copy, "dateline added");
}

#[test]
fn combined_edits_are_caught() {
    let full = sig(&STORY);
    let edited: Vec<String> = [STORY[1], STORY[0], STORY[2]]
        .iter()
        .map(|p| respell(p))
        .collect();
    let text = format!("{}\nوللمزيد تابعوا موقعنا.", edited.join("\n"));
    assert_near(
        &full,
        &sig_text(&text),
        "cut + reordered + respelled + tail line",
    );
}

#[test]
fn other_articles_on_the_same_event_are_not_duplicates() {
    let full = sig(&STORY);
    assert_far(
        &full,
        &sig(&SAME_EVENT),
        "independent report of the same event",
    );
    assert_far(&full, &sig(&FOLLOW_UP), "next-day update");
    assert_far(&sig(&SAME_EVENT), &sig(&FOLLOW_UP), "two other reports");
    // Sharing a paragraph is not enough either.
    let mixed = [
        SAME_EVENT[0],
        SAME_EVENT[1],
        SAME_EVENT[2],
        SAME_EVENT[3],
        STORY[3],
    ];
    assert_far(&full, &sig(&mixed), "one shared paragraph in five");
}

#[test]
fn clusterer_groups_the_variants_only() {
    let texts: Vec<String> = vec![
        STORY.join("\n\n"),
        SAME_EVENT.join("\n\n"),
        STORY[..3].join("\n"),
        FOLLOW_UP.join("\n\n"),
        STORY
            .iter()
            .map(|p| respell(p))
            .collect::<Vec<_>>()
            .join("\n\n"),
    ];
    let mut c = Clusterer::default();
    for t in &texts {
        c.add(sig_text(t));
    }
    assert_eq!(c.clusters(), [0, 1, 0, 3, 0]);
}
