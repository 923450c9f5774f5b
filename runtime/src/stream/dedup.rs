//! The recently acknowledged messages of a stream session, so that a message DingTalk delivers
//! again (its acknowledgement was lost, or the connection dropped before it was sent) is
//! acknowledged again without calling the handler a second time.

use std::collections::{HashMap, VecDeque};

use super::Ack;

/// A bounded memory of acknowledged messages: each is known by its keys (its `messageId`, and
/// for an event its `eventId` as well) and remembered with the acknowledgement it was given.
/// When full, the oldest message is forgotten.
#[derive(Debug)]
pub(crate) struct Dedup {
    capacity: usize,
    /// The keys of each remembered message, oldest first.
    order: VecDeque<Vec<String>>,
    /// Every key of a remembered message, with its acknowledgement.
    acks: HashMap<String, Ack>,
}

impl Dedup {
    /// A memory of at most `capacity` messages; `0` remembers nothing.
    pub(crate) fn new(capacity: usize) -> Self {
        Self {
            capacity,
            order: VecDeque::new(),
            acks: HashMap::new(),
        }
    }

    /// The acknowledgement given to a message with any of these keys, if it is remembered.
    pub(crate) fn get(&self, keys: &[String]) -> Option<&Ack> {
        keys.iter().find_map(|key| self.acks.get(key))
    }

    /// Remembers a message's acknowledgement under all its keys, forgetting the oldest message
    /// if the memory is full.
    pub(crate) fn insert(&mut self, keys: Vec<String>, ack: Ack) {
        if self.capacity == 0 || keys.is_empty() {
            return;
        }
        while self.order.len() >= self.capacity {
            let Some(oldest) = self.order.pop_front() else {
                break;
            };
            for key in oldest {
                self.acks.remove(&key);
            }
        }
        for key in &keys {
            self.acks.insert(key.clone(), ack.clone());
        }
        self.order.push_back(keys);
    }

    /// How many messages are remembered.
    #[cfg(test)]
    fn len(&self) -> usize {
        self.order.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(names: &[&str]) -> Vec<String> {
        names.iter().map(|name| (*name).to_owned()).collect()
    }

    #[test]
    fn remembers_by_any_key_and_forgets_the_oldest() {
        let mut dedup = Dedup::new(2);
        dedup.insert(keys(&["m:1", "e:a"]), Ack::Success);
        dedup.insert(keys(&["m:2"]), Ack::Success);
        assert_eq!(dedup.get(&keys(&["m:9", "e:a"])), Some(&Ack::Success));
        assert_eq!(dedup.get(&keys(&["m:2"])), Some(&Ack::Success));
        dedup.insert(keys(&["m:3"]), Ack::Success);
        assert_eq!(dedup.len(), 2);
        // The first message's keys went with it.
        assert_eq!(dedup.get(&keys(&["m:1"])), None);
        assert_eq!(dedup.get(&keys(&["e:a"])), None);
        assert_eq!(dedup.get(&keys(&["m:3"])), Some(&Ack::Success));
    }

    #[test]
    fn capacity_zero_remembers_nothing() {
        let mut dedup = Dedup::new(0);
        dedup.insert(keys(&["m:1"]), Ack::Success);
        assert_eq!(dedup.get(&keys(&["m:1"])), None);
    }
}
