//! UI text about a video's renditions in the material list: a lesson plays
//! in its lowest rendition while the higher ones are made.

use courses::media::Ladder;
use courses::Lang;

/// The line under a ready video's state, while its higher renditions are
/// made or after they failed; `None` once the ladder is complete.
pub fn ladder_text(
    ladder: Option<Ladder>,
    lowest: Option<u32>,
    percent: u8,
    problem: Option<&str>,
    lang: Lang,
) -> Option<String> {
    let lowest = lowest.map(|h| format!("{h}p")).unwrap_or_default();
    match ladder? {
        Ladder::Complete => None,
        Ladder::Pending => Some(match lang {
            Lang::Zh => format!("已可播放（{lowest}），更高清晰度转码中 {percent}%"),
            Lang::En => format!("Playable ({lowest}); higher qualities transcoding {percent}%"),
        }),
        Ladder::Failed => {
            let why = problem.filter(|p| !p.is_empty()).map(|p| format!(" {p}")).unwrap_or_default();
            Some(match lang {
                Lang::Zh => format!("更高清晰度未能生成，课时仍以 {lowest} 播放。{why}"),
                Lang::En => format!("Higher qualities failed; the lesson still plays in {lowest}.{why}"),
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ladder_line_says_what_plays_and_how_far_the_rest_is() {
        let pending = ladder_text(Some(Ladder::Pending), Some(240), 40, None, Lang::Zh).unwrap();
        assert!(pending.contains("240p") && pending.contains("40%"), "{pending}");
        let failed = ladder_text(Some(Ladder::Failed), Some(240), 0, Some("文件已损坏"), Lang::En).unwrap();
        assert!(failed.contains("240p") && failed.contains("文件已损坏"), "{failed}");
        assert_eq!(ladder_text(Some(Ladder::Complete), Some(240), 100, None, Lang::Zh), None);
        assert_eq!(ladder_text(None, None, 0, None, Lang::En), None);
    }
}
