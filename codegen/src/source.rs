//! Source files, byte spans and the offset → `line:col` index used to locate diagnostics.

use serde::Serialize;

/// Index of a file in a [`SourceSet`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct FileId(pub u32);

/// A byte range in one source file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Span {
    pub file: FileId,
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(file: FileId, start: usize, end: usize) -> Self {
        let clamp = |offset: usize| u32::try_from(offset).unwrap_or(u32::MAX);
        Span {
            file,
            start: clamp(start),
            end: clamp(end.max(start)),
        }
    }

    /// The smallest span covering both.
    pub fn to(self, other: Span) -> Span {
        Span {
            file: self.file,
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }

    pub fn range(self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }
}

/// The page span of `range`, a byte range of a text pieced together from parts of a page (a code block
/// inside a quote loses each line's `> `). `pieces` are `(offset in the text, offset in the page)`, sorted;
/// without them the text is taken to start at `whole.start`.
pub fn span_in_pieces(
    whole: Span,
    pieces: &[(usize, usize)],
    range: std::ops::Range<usize>,
) -> Span {
    let locate = |offset: usize| {
        let index = pieces
            .partition_point(|&(start, _)| start <= offset)
            .saturating_sub(1);
        match pieces.get(index) {
            Some(&(start, page)) => page + offset.saturating_sub(start),
            None => whole.start as usize + offset,
        }
    };
    let start = locate(range.start);
    Span::new(whole.file, start, locate(range.end).max(start))
}

/// Spans serialize as `file:start..end` so IR snapshots stay readable.
impl Serialize for Span {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(&format_args!(
            "{}:{}..{}",
            self.file.0, self.start, self.end
        ))
    }
}

/// One input page: its path relative to the spec root (always with `/`) and its text.
#[derive(Clone, Debug)]
pub struct SourceFile {
    pub path: String,
    pub text: String,
    pub lines: LineIndex,
}

impl SourceFile {
    pub fn new(path: impl Into<String>, text: impl Into<String>) -> Self {
        let text = text.into();
        let lines = LineIndex::new(&text);
        SourceFile {
            path: path.into(),
            text,
            lines,
        }
    }
}

/// All input pages of one run, in a fixed order (sorted by path).
#[derive(Clone, Debug, Default)]
pub struct SourceSet {
    files: Vec<SourceFile>,
}

impl SourceSet {
    pub fn new() -> Self {
        SourceSet::default()
    }

    /// Builds a set from `(path, text)` pairs; the order of the input does not matter.
    pub fn from_pages<P: Into<String>, T: Into<String>>(
        pages: impl IntoIterator<Item = (P, T)>,
    ) -> Self {
        let mut files: Vec<SourceFile> = pages
            .into_iter()
            .map(|(p, t)| SourceFile::new(p, t))
            .collect();
        files.sort_by(|a, b| a.path.cmp(&b.path));
        SourceSet { files }
    }

    pub fn add(&mut self, path: impl Into<String>, text: impl Into<String>) -> FileId {
        let id = FileId(u32::try_from(self.files.len()).unwrap_or(u32::MAX));
        self.files.push(SourceFile::new(path, text));
        id
    }

    pub fn get(&self, id: FileId) -> Option<&SourceFile> {
        self.files.get(id.0 as usize)
    }

    pub fn iter(&self) -> impl Iterator<Item = (FileId, &SourceFile)> {
        self.files
            .iter()
            .enumerate()
            .map(|(i, f)| (FileId(i as u32), f))
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    pub fn text(&self, span: Span) -> &str {
        self.get(span.file)
            .and_then(|f| f.text.get(span.range()))
            .unwrap_or("")
    }

    pub fn path(&self, id: FileId) -> &str {
        self.get(id).map(|f| f.path.as_str()).unwrap_or("<unknown>")
    }
}

/// Maps byte offsets to 1-based lines and 1-based columns counted in characters.
#[derive(Clone, Debug, Default)]
pub struct LineIndex {
    /// Byte offset at which each line starts.
    starts: Vec<usize>,
}

/// A 1-based position in a file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct LineCol {
    pub line: usize,
    pub col: usize,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(
            text.bytes()
                .enumerate()
                .filter(|&(_, b)| b == b'\n')
                .map(|(i, _)| i + 1),
        );
        LineIndex { starts }
    }

    /// The position of `offset`; offsets inside a multi-byte character or past the end are clamped.
    pub fn line_col(&self, text: &str, offset: usize) -> LineCol {
        let offset = offset.min(text.len());
        let line = self
            .starts
            .partition_point(|&start| start <= offset)
            .saturating_sub(1);
        let line_start = self.starts.get(line).copied().unwrap_or(0);
        let mut end = offset;
        while end > line_start && !text.is_char_boundary(end) {
            end -= 1;
        }
        let col = text.get(line_start..end).map_or(0, |s| s.chars().count()) + 1;
        LineCol {
            line: line + 1,
            col,
        }
    }

    /// The text of 1-based `line`, without its line ending.
    pub fn line_text<'t>(&self, text: &'t str, line: usize) -> &'t str {
        let Some(&start) = self.starts.get(line.wrapping_sub(1)) else {
            return "";
        };
        let end = self.starts.get(line).map_or(text.len(), |&next| next);
        text.get(start..end)
            .unwrap_or("")
            .trim_end_matches(['\n', '\r'])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_is_one_based_and_counts_characters() {
        let text = "ab\nčd€x\n\nlast";
        let index = LineIndex::new(text);
        assert_eq!(index.line_col(text, 0), LineCol { line: 1, col: 1 });
        assert_eq!(index.line_col(text, 2), LineCol { line: 1, col: 3 });
        assert_eq!(index.line_col(text, 3), LineCol { line: 2, col: 1 });
        // `č` is two bytes, `€` three: `x` is the fourth character of line 2.
        let x = text.find('x').unwrap();
        assert_eq!(index.line_col(text, x), LineCol { line: 2, col: 4 });
        assert_eq!(
            index.line_col(text, text.len()),
            LineCol { line: 4, col: 5 }
        );
        assert_eq!(index.line_text(text, 2), "čd€x");
        assert_eq!(index.line_text(text, 3), "");
        assert_eq!(index.line_text(text, 9), "");
    }

    #[test]
    fn offsets_inside_a_character_or_past_the_end_are_clamped() {
        let text = "é\r\nz";
        let index = LineIndex::new(text);
        assert_eq!(index.line_col(text, 1), LineCol { line: 1, col: 1 });
        assert_eq!(index.line_col(text, 99), LineCol { line: 2, col: 2 });
        assert_eq!(index.line_text(text, 1), "é");
    }

    #[test]
    fn source_sets_are_sorted_by_path_whatever_the_input_order() {
        let a = SourceSet::from_pages([("b.md", "1"), ("a.md", "2")]);
        let paths: Vec<_> = a.iter().map(|(_, f)| f.path.clone()).collect();
        assert_eq!(paths, ["a.md", "b.md"]);
    }
}
