//! Documents and small indexes shared by the unit tests of the index's modules.

use qalam_corpus::Document;

use crate::{AnalyzerSettings, QalamIndex};

/// `n` distinct made-up content words (letters no stemmer strips), deterministic.
pub fn words(n: usize) -> Vec<String> {
    let letters: Vec<char> = "بثجحخدذرزسشصضطظعغفقكم".chars().collect();
    let mut x: u64 = 7;
    let mut out = std::collections::BTreeSet::new();
    while out.len() < n {
        x = x
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let w: String = (0..5)
            .map(|k| letters[((x >> (8 * k + 8)) % letters.len() as u64) as usize])
            .collect();
        out.insert(w);
    }
    out.into_iter().collect()
}

/// A dated, titled document from source `src-{id}`.
pub fn doc(id: &str, date: &str, title: &str, body: &str) -> Document {
    Document {
        id: id.into(),
        title: Some(title.into()),
        body: body.into(),
        author: None,
        source: Some(format!("src-{id}")),
        url: None,
        date: Some(date.into()),
        extra: Default::default(),
        origin: Default::default(),
    }
}

/// A wire story about new coronavirus cases in Riyadh.
pub const WIRE: &str = "أعلنت وزارة الصحة السعودية اليوم تسجيل خمس إصابات جديدة بفيروس كورونا في مدينة الرياض بينها ثلاث حالات بين العاملين في القطاع الصحي.\n\
    وأوضحت الوزارة في بيانها اليومي أن المصابين يتلقون العلاج في مستشفى الملك فهد بالحرس الوطني وأن حالتين منهم في العناية المركزة.\n\
    وأشار المتحدث الرسمي باسم الوزارة إلى أن فرق التقصي الوبائي باشرت فحص المخالطين للحالات المسجلة وأنه تم عزل قسم الطوارئ في المستشفى بشكل مؤقت.";
/// Another story on the same outbreak, written differently.
pub const OTHER: &str = "سجلت الرياض خلال الساعات الماضية حالات إصابة جديدة بمتلازمة كورونا معظمها داخل مستشفى الحرس الوطني ما دفع إدارة المستشفى إلى إغلاق الطوارئ مؤقتا.\n\
    وقال مصدر طبي إن الكوادر الصحية المصابة كانت على تواصل مباشر مع مريض مسن نقل إلى المستشفى الأسبوع الماضي.";
/// An index of WIRE, OTHER and a respelled copy of WIRE added in a second ingest.
pub fn corpus() -> QalamIndex {
    let index = QalamIndex::create_in_ram(AnalyzerSettings::default()).unwrap();
    let respelled = WIRE.replace("في ", "فى ").replace("الرياض", "بالرياض");
    index
        .add([
            doc(
                "a",
                "2015-07-21",
                "الصحة: خمس إصابات بكورونا في الرياض",
                WIRE,
            ),
            doc("b", "2015-07-21", "كورونا يضرب الحرس الوطني", OTHER),
        ])
        .unwrap();
    // A second ingest: the copy must find its original through the index.
    index
        .add([doc("c", "2015-07-22", "إصابات جديدة بكورونا", &respelled)])
        .unwrap();
    index
}

/// An index of one document, `a`: "تحرير الموصل".
pub fn small_index() -> QalamIndex {
    let index = QalamIndex::create_in_ram(AnalyzerSettings::default()).unwrap();
    let mut doc = qalam_corpus::Document::from_text("تحرير الموصل".into(), Default::default());
    doc.id = "a".into();
    index.add([doc]).unwrap();
    index
}
