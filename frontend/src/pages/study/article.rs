//! The article reader: the outline (menu-style summary) and the article,
//! rendered and sanitized by the server. Reading time is counted in the
//! browser (visible, not idle) and credited by the server. The outline is
//! an unnumbered list: party-education headings carry their own ordinals
//! (一、 （一） 1. 第一章), and a numbered list would number them twice.

use courses::course::ArticleView;
use leptos::prelude::*;

#[component]
pub fn ArticleReader(article: ArticleView) -> impl IntoView {
    let outline = (!article.outline.is_empty()).then(|| {
        view! {
            <nav class="toc card" id="article-outline">
                <ul class="toc-list">
                    {article
                        .outline
                        .into_iter()
                        .map(|e| {
                            view! {
                                <li class=format!("toc-{}", e.level)>
                                    <a href=format!("#{}", e.anchor)>{e.title}</a>
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            </nav>
        }
    });
    view! {
        {outline}
        <article class="article card" id="article" inner_html=article.html></article>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use courses::course::OutlineEntry;

    #[test]
    fn the_outline_adds_no_number_to_headings_that_carry_their_own() {
        let entry = |title: &str, anchor: &str| OutlineEntry { level: 2, title: title.into(), anchor: anchor.into() };
        let article = ArticleView {
            html: "<h2 id=\"sec-1\">一、学习党章</h2>".into(),
            outline: vec![entry("一、学习党章", "sec-1"), entry("（一）总纲", "sec-2")],
        };
        let html = Owner::new().with(|| view! { <ArticleReader article /> }.to_html());
        // A numbered list (<ol>) would show "1. 一、学习党章".
        assert!(!html.contains("<ol"), "{html}");
        assert!(html.contains("<ul class=\"toc-list\">"), "{html}");
        assert!(html.contains(">一、学习党章<"), "{html}");
    }
}
