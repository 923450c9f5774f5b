//! One operation: the base it is on, the context it is built in (its index, generator, noun
//! and the group's types), and the record written as an entry of the group's `operations`.

use super::fields::{any_term, camel, nodes, term_fields, Field, Side};
use super::group::Types;
use super::random::{Rng, OPERATION_SALT};
use super::vocabulary::{Noun, Term, NOUNS};
use crate::yaml::{self, Node};

/// The bases of `service.yaml`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Base {
    Classic,
    Modern,
    Open,
}

impl Base {
    fn id(self) -> &'static str {
        match self {
            Base::Classic => "classic",
            Base::Modern => "modern",
            Base::Open => "open",
        }
    }

    /// The REST base writes camelCase members, the others snake_case.
    fn camel(self) -> bool {
        self == Base::Modern
    }

    /// The envelope members of a `body_code` base, documented in every response as the
    /// hand-written specs do; the generator leaves them out of the response type.
    fn envelope(self) -> Vec<Field> {
        match self {
            Base::Classic => vec![
                Field::new("errcode", "int32")
                    .example(yaml::int(0))
                    .described("返回码。"),
                Field::new("errmsg", "string")
                    .example(yaml::string("ok"))
                    .described("返回码描述。"),
            ],
            Base::Modern => Vec::new(),
            Base::Open => vec![
                Field::new("code", "string").example(yaml::string("000000")),
                Field::new("message", "string"),
            ],
        }
    }
}

/// What one operation is built from.
pub(super) struct Ctx<'a> {
    pub(super) index: usize,
    pub(super) rng: Rng,
    pub(super) noun: &'static Noun,
    pub(super) types: &'a mut Types,
}

impl<'a> Ctx<'a> {
    pub(super) fn new(seed: u64, index: usize, types: &'a mut Types) -> Self {
        let mut rng = Rng::new(seed, OPERATION_SALT, index);
        let noun = rng.pick(NOUNS);
        Self {
            index,
            rng,
            noun,
            types,
        }
    }

    /// A platform-unique type name: the noun, the operation's index, the role.
    pub(super) fn type_name(&self, role: &str) -> String {
        format!("{}{:04}{role}", self.noun.camel, self.index)
    }

    /// A member name in the base's case.
    pub(super) fn wire(&self, base: Base, snake: &str) -> String {
        if base.camel() {
            camel(snake)
        } else {
            snake.to_owned()
        }
    }

    pub(super) fn terms(
        &mut self,
        k: usize,
        base: Base,
        side: Side,
        keep: fn(&Term) -> bool,
    ) -> Vec<Field> {
        term_fields(&mut self.rng, k, base.camel(), side, keep)
    }

    pub(super) fn model(&mut self, name: &str, description: &str, fields: Vec<Field>) {
        let mut entries = vec![
            ("name", yaml::string(name)),
            ("description", yaml::string(description)),
        ];
        if self.rng.chance(10) {
            entries.push(("doc_name", yaml::string(&format!("Oapi{name}Vo"))));
        }
        if self.rng.chance(5) {
            entries.push((
                "note",
                yaml::string("The document shows this object only in its examples."),
            ));
        }
        entries.push(("fields", nodes(fields)));
        self.types.models.push(Node::Map(entries));
    }

    /// A model nested `depth` levels deep (1 is flat), returning its name. The second
    /// level is a single object, the third a list of objects, as in report templates.
    pub(super) fn nested(&mut self, role: &str, depth: usize, base: Base, side: Side) -> String {
        let name = self.type_name(role);
        let count = self.rng.between(2, 5);
        let mut fields = self.terms(count, base, side, any_term);
        if depth >= 2 {
            let child_role = format!("{role}Detail");
            let child = self.nested(&child_role, 1, base, side);
            fields.push(Field::new(self.wire(base, "detail"), child).described("详细信息。"));
        }
        if depth >= 3 {
            let entry_role = format!("{role}Entry");
            let entry = self.nested(&entry_role, 1, base, side);
            fields.push(
                Field::new(self.wire(base, "entry_list"), format!("list<{entry}>"))
                    .described("条目列表,最多50个。")
                    .limit("max_items", 50),
            );
        }
        let description = format!("{}信息。", self.noun.zh);
        self.model(&name, &description, fields);
        name
    }
}

/// One operation, with the keys of the format's operation table.
pub(super) struct Op {
    pub(super) id: String,
    pub(super) summary: String,
    pub(super) description: Option<String>,
    pub(super) doc: Option<String>,
    pub(super) method: &'static str,
    pub(super) base: Base,
    pub(super) path: String,
    pub(super) auth: Option<bool>,
    pub(super) stability: Option<&'static str>,
    pub(super) idempotent: Option<bool>,
    pub(super) pagination: Option<Node>,
    pub(super) path_params: Vec<Field>,
    pub(super) query: Vec<Field>,
    pub(super) headers: Vec<Field>,
    pub(super) body: Vec<Field>,
    pub(super) response: Vec<Field>,
    pub(super) note: Option<String>,
}

impl Op {
    pub(super) fn new(
        ctx: &mut Ctx<'_>,
        verb: (&str, &str),
        method: &'static str,
        base: Base,
    ) -> Self {
        let (verb, verb_zh) = verb;
        let noun = ctx.noun;
        let summary = format!("{verb_zh}{}", noun.zh);
        let path = match base {
            Base::Classic => format!("/topapi/{}/{verb}{}", noun.snake, ctx.index),
            Base::Modern => format!("/v1.0/{}/{verb}{}", noun.snake, ctx.index),
            Base::Open => format!("/{}/{verb}{}", noun.snake, ctx.index),
        };
        Self {
            id: format!("{verb}_{}_{}", noun.snake, ctx.index),
            doc: ctx
                .rng
                .chance(80)
                .then(|| format!("{summary} - 合成开放平台")),
            summary,
            description: None,
            method,
            base,
            path,
            auth: None,
            stability: None,
            idempotent: None,
            pagination: None,
            path_params: Vec::new(),
            query: Vec::new(),
            headers: Vec::new(),
            body: Vec::new(),
            response: base.envelope(),
            note: None,
        }
    }

    pub(super) fn into_node(self) -> Node {
        let mut entries = vec![
            ("id", yaml::string(&self.id)),
            ("summary", yaml::string(&self.summary)),
        ];
        let texts = [("description", self.description), ("doc", self.doc)];
        entries.extend(
            texts
                .into_iter()
                .filter_map(|(k, v)| Some((k, yaml::string(&v?)))),
        );
        entries.push(("method", yaml::string(self.method)));
        entries.push(("base", yaml::string(self.base.id())));
        entries.push(("path", yaml::string(&self.path)));
        let optional = [
            ("auth", self.auth.map(yaml::boolean)),
            ("stability", self.stability.map(yaml::string)),
            ("idempotent", self.idempotent.map(yaml::boolean)),
            ("pagination", self.pagination),
        ];
        entries.extend(optional.into_iter().filter_map(|(k, v)| Some((k, v?))));
        let lists = [
            ("path_params", self.path_params),
            ("query", self.query),
            ("headers", self.headers),
            ("body", self.body),
        ];
        for (key, fields) in lists {
            if !fields.is_empty() {
                entries.push((key, nodes(fields)));
            }
        }
        // An empty response is written out, as the format asks for the key.
        entries.push(("response", nodes(self.response)));
        if let Some(note) = self.note {
            entries.push(("note", yaml::string(&note)));
        }
        Node::Map(entries)
    }
}
