//! Rule ids: the one list of every rule. Each line gives a rule's [`RuleId`] variant (also the
//! name of its type under `rules/`), its stable kebab-case id and its module; the enum, its
//! string forms and the registry ([`crate::rules::all`]) are all made from this list.
//!
//! A leaf: diagnostics, the configuration and the rules name rules by [`RuleId`], and this
//! module depends on none of them.

use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

/// Calls `$then!` with every rule, in the order `wikistamp rules` lists them:
/// `Variant "kebab-id" module,`. Adding a rule adds a line here.
macro_rules! for_each_rule {
    ($then:ident) => {
        $then! {
            TimestampMalformed "timestamp-malformed" timestamp_malformed,
            TimestampInvalid "timestamp-invalid" timestamp_invalid,
            TimestampFormat "timestamp-format" timestamp_format,
            TimestampLabelMismatch "timestamp-label-mismatch" timestamp_label_mismatch,
            TimestampOrder "timestamp-order" timestamp_order,
            TimestampDuplicate "timestamp-duplicate" timestamp_duplicate,
            TimestampShifted "timestamp-shifted" timestamp_shifted,
            TimestampAfterEnd "timestamp-after-end" timestamp_after_end,
            TimestampWithoutVideo "timestamp-without-video" timestamp_without_video,
            LinkBroken "link-broken" link_broken,
            LinkAmbiguous "link-ambiguous" link_ambiguous,
            LinkHeadingMissing "link-heading-missing" link_heading_missing,
            LinkBlockMissing "link-block-missing" link_block_missing,
            LinkMalformed "link-malformed" link_malformed,
            CalloutUnknownType "callout-unknown-type" callout_unknown_type,
            CalloutMalformed "callout-malformed" callout_malformed,
            SourceMissing "source-missing" source_missing,
            CitationUnsupported "citation-unsupported" citation_unsupported,
            FrontmatterInvalid "frontmatter-invalid" frontmatter_invalid,
            SuppressionUnknownRule "suppression-unknown-rule" suppression_unknown_rule,
            FileUnreadable "file-unreadable" file_unreadable,
            TranscriptInvalid "transcript-invalid" transcript_invalid,
        }
    };
}
pub(crate) use for_each_rule;

macro_rules! rule_id_enum {
    ($($variant:ident $id:literal $module:ident,)*) => {
        /// A rule, by identity. Compares and sorts as its kebab-case id does.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum RuleId {
            $($variant,)*
        }

        impl RuleId {
            /// Every rule, in the registry's order ([`RuleId::index`]).
            pub const ALL: &'static [RuleId] = &[$(RuleId::$variant,)*];

            /// The stable kebab-case id, e.g. `link-broken`.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $(RuleId::$variant => $id,)*
                }
            }
        }

        impl FromStr for RuleId {
            type Err = UnknownRuleId;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s {
                    $($id => Ok(RuleId::$variant),)*
                    _ => Err(UnknownRuleId),
                }
            }
        }
    };
}
for_each_rule!(rule_id_enum);

impl RuleId {
    /// The position in [`RuleId::ALL`] and in the registry.
    pub const fn index(self) -> usize {
        self as usize
    }
}

/// The id, padded as the formatter asks (`{:<26}` lines up a table).
impl fmt::Display for RuleId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

/// By id, so that whatever is sorted by rule (findings at one place, the configuration's
/// `[rules]`) comes out in the id's alphabetical order.
impl Ord for RuleId {
    fn cmp(&self, other: &Self) -> Ordering {
        self.as_str().cmp(other.as_str())
    }
}

impl PartialOrd for RuleId {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// The error of parsing a string that is no rule's id (each caller words its own message).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UnknownRuleId;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_and_are_kebab_case() {
        for (i, &id) in RuleId::ALL.iter().enumerate() {
            assert_eq!(id.index(), i);
            assert_eq!(id.as_str().parse::<RuleId>(), Ok(id));
            assert!(id
                .as_str()
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b == b'-'));
        }
        assert_eq!(format!("{:<12}|", RuleId::LinkBroken), "link-broken |");
        assert_eq!("link-brokn".parse::<RuleId>(), Err(UnknownRuleId));
        assert_eq!("Link-Broken".parse::<RuleId>(), Err(UnknownRuleId));
    }

    #[test]
    fn the_registry_holds_each_rule_at_its_index() {
        let rules = crate::rules::all();
        assert_eq!(rules.len(), RuleId::ALL.len());
        for (rule, &id) in rules.iter().zip(RuleId::ALL) {
            assert_eq!(rule.meta().id, id);
            assert_eq!(id.meta().id, id);
        }
    }

    #[test]
    fn ids_sort_as_their_strings() {
        let mut ids = RuleId::ALL.to_vec();
        ids.sort();
        let mut strings: Vec<&str> = RuleId::ALL.iter().map(|id| id.as_str()).collect();
        strings.sort_unstable();
        assert_eq!(
            ids.iter().map(|id| id.as_str()).collect::<Vec<_>>(),
            strings
        );
    }
}
