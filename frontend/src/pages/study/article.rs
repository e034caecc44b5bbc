//! The article reader: the outline (menu-style summary) and the article,
//! rendered and sanitized by the server. Reading time is counted in the
//! browser (visible, not idle) and credited by the server.

use courses::course::ArticleView;
use leptos::prelude::*;

#[component]
pub fn ArticleReader(article: ArticleView) -> impl IntoView {
    let outline = (!article.outline.is_empty()).then(|| {
        view! {
            <nav class="toc card" id="article-outline">
                <ol>
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
                </ol>
            </nav>
        }
    });
    view! {
        {outline}
        <article class="article card" id="article" inner_html=article.html></article>
    }
}
