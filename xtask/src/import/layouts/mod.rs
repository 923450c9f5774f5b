//! The layout readers, one file per site's layout of document pages. Each reads a page's
//! lines into a [`Draft`](super::Draft); [`super::read`] picks the one whose `detect` scores
//! the page highest.

pub mod apifox;
pub mod dingtalk;
pub mod dingtalk_events;
pub mod dingtalk_pages;
mod dingtalk_tables;
pub mod markdown;
pub mod tze;

use super::Layout;

/// Every layout reader, in no particular order (detection decides).
pub fn all() -> &'static [&'static dyn Layout] {
    &[
        &apifox::Apifox,
        &dingtalk::DingTalk,
        &dingtalk_events::DingTalkEvents,
        &dingtalk_pages::DingTalkPages,
        &markdown::MarkdownTables,
        &tze::Tze,
    ]
}
