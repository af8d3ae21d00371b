/// How duplicates are told apart: a profile may say that `ana+news@x.com` is `ana@x.com`.
public struct DuplicateOptions: Sendable, Equatable {
    public var ignoresEmailPlusTags: Bool

    public init(ignoresEmailPlusTags: Bool = false) {
        self.ignoresEmailPlusTags = ignoresEmailPlusTags
    }
}

/// Contacts that look like one person: they share a normalised phone (its digits with the
/// country code) or a normalised email (no case, accents or surrounding spaces), directly or
/// through each other. One is proposed as the keeper; nothing is ever merged.
public struct DuplicateGroup: Sendable, Equatable {
    public struct Reason: Sendable, Equatable, Hashable {
        public enum Kind: String, Sendable, Equatable, Hashable { case phone, email }
        public var kind: Kind
        /// The normalised value they share.
        public var value: String

        public var sentence: String { "same \(kind.rawValue) \(value)" }
    }

    /// In the order the contacts were given (the server's).
    public var members: [ContactID]
    /// The most complete record, ties to the oldest.
    public var keeper: ContactID
    public var reasons: [Reason]
}

extension ContactStore {
    /// The duplicate groups among `slots`, in the order of each group's first contact.
    public func duplicateGroups(among slots: [Int], options: DuplicateOptions = DuplicateOptions()) -> [DuplicateGroup] {
        let live = slots.filter { alive[$0] }
        guard live.count > 1 else { return [] }
        var parent = [Int32](repeating: -1, count: slotCount)
        for slot in live { parent[slot] = Int32(slot) }
        func root(_ slot: Int) -> Int {
            var current = slot
            while Int(parent[current]) != current { current = Int(parent[current]) }
            var walk = slot
            while Int(parent[walk]) != current {
                let next = Int(parent[walk])
                parent[walk] = Int32(current)
                walk = next
            }
            return current
        }
        var links: [(slot: Int, reason: DuplicateGroup.Reason)] = []
        for kind in [DuplicateGroup.Reason.Kind.phone, .email] {
            for run in sharedKeys(live, kind: kind, options: options) {
                let reason = DuplicateGroup.Reason(kind: kind, value: String(decoding: run.key, as: UTF8.self))
                for slot in run.slots.dropFirst() {
                    let (a, b) = (root(run.slots[0]), root(slot))
                    if a != b { parent[max(a, b)] = Int32(min(a, b)) }
                }
                links.append((run.slots[0], reason))
            }
        }
        guard !links.isEmpty else { return [] }
        let linked = Set(links.map { root($0.slot) })
        var membersByRoot: [Int: [Int]] = [:]
        var firstSeen: [Int] = []
        for slot in live {
            let top = root(slot)
            guard linked.contains(top) else { continue }
            if membersByRoot[top] == nil { firstSeen.append(top) }
            membersByRoot[top, default: []].append(slot)
        }
        var reasonsByRoot: [Int: [DuplicateGroup.Reason]] = [:]
        for link in links { reasonsByRoot[root(link.slot), default: []].append(link.reason) }
        return firstSeen.compactMap { top in
            guard let members = membersByRoot[top], members.count > 1 else { return nil }
            let keeper = members.max { a, b in keeperOrder(a, b) } ?? members[0]
            return DuplicateGroup(
                members: members.map { id(at: $0) }, keeper: id(at: keeper), reasons: reasonsByRoot[top] ?? [])
        }
    }

    /// Whether `a` makes a worse keeper than `b`: less complete, or as complete and newer (or
    /// later in the list).
    private func keeperOrder(_ a: Int, _ b: Int) -> Bool {
        let (completeA, completeB) = (completeness(at: a), completeness(at: b))
        if completeA != completeB { return completeA < completeB }
        let (createdA, createdB) = (date("created", at: a) ?? .max, date("created", at: b) ?? .max)
        if createdA != createdB { return createdA > createdB }
        return a > b
    }

    /// How many of a contact's fields hold something: name, phone, email, status, and each of
    /// the provider's field values.
    public func completeness(at slot: Int) -> Int {
        var count = [name(at: slot), phone(at: slot), email(at: slot)].filter { !$0.isEmpty }.count
        if statusCodes[slot] != Self.noStatus { count += 1 }
        _ = filter([slot], field: Self.blobField) { blob, length in
            _ = fieldTable.firstEntry(in: blob, count: length) { _, _ in
                count += 1
                return false
            }
            return true
        }
        return count
    }

    /// Keys two or more of `slots` share, with those slots in order. Keys are hashed into one
    /// sorted array (hash bits above, slot below), so a million contacts cost a sort of a
    /// million numbers; equal hashes are compared byte for byte.
    private func sharedKeys(
        _ slots: [Int], kind: DuplicateGroup.Reason.Kind, options: DuplicateOptions
    ) -> [(key: [UInt8], slots: [Int])] {
        let slotBits = max(1, Int.bitWidth - (slotCount - 1).leadingZeroBitCount)
        let slotMask = (UInt64(1) << UInt64(slotBits)) - 1
        var keyed: [UInt64] = []
        keyed.reserveCapacity(slots.count)
        forEachDuplicateKey(slots, kind: kind, options: options) { slot, key in
            keyed.append(Self.hash(key) << UInt64(slotBits) | UInt64(slot))
        }
        keyed.sort()
        var shared: [(key: [UInt8], slots: [Int])] = []
        var start = 0
        while start < keyed.count {
            var end = start + 1
            while end < keyed.count, keyed[end] >> UInt64(slotBits) == keyed[start] >> UInt64(slotBits) { end += 1 }
            if end - start > 1 {
                // Equal hashes: group by the keys themselves, each group in slot order.
                var classes: [(key: [UInt8], slots: [Int])] = []
                forEachDuplicateKey(keyed[start..<end].map { Int($0 & slotMask) }, kind: kind, options: options) { slot, bytes in
                    let key = Array(bytes)
                    if let index = classes.firstIndex(where: { $0.key == key }) {
                        classes[index].slots.append(slot)
                    } else {
                        classes.append((key, [slot]))
                    }
                }
                shared += classes.filter { $0.slots.count > 1 }
            }
            start = end
        }
        return shared
    }

    /// Calls `body` with each slot's key, where it has one: a phone's digits (with the country
    /// code, as shown), at least seven of them; an email folded and trimmed, with `+tag`
    /// dropped when the options say so. The bytes are valid only during the call.
    private func forEachDuplicateKey(
        _ slots: [Int], kind: DuplicateGroup.Reason.Kind, options: DuplicateOptions,
        _ body: (Int, UnsafeBufferPointer<UInt8>) -> Void
    ) {
        forEach(slots, field: Self.keyField) { slot, bytes, count in
            // The search key: folded name, folded email, id, phone as written, its digits.
            var separators = (0, 0, 0, 0)
            var found = 0
            for index in 0..<count where bytes[index] == 1 {
                switch found {
                case 0: separators.0 = index
                case 1: separators.1 = index
                case 2: separators.2 = index
                default: separators.3 = index
                }
                found += 1
            }
            guard found == 4 else { return }
            switch kind {
            case .phone:
                let digits = count - separators.3 - 1
                if digits >= 7 { body(slot, UnsafeBufferPointer(start: bytes + separators.3 + 1, count: digits)) }
            case .email:
                var start = separators.0 + 1
                var end = separators.1
                while start < end, bytes[start] == 0x20 { start += 1 }
                while end > start, bytes[end - 1] == 0x20 { end -= 1 }
                let email = UnsafeBufferPointer(start: bytes + start, count: end - start)
                guard let at = email.firstIndex(of: 0x40), at > 0, at < email.count - 1 else { return }
                if options.ignoresEmailPlusTags, let plus = email[..<at].firstIndex(of: 0x2B), plus > 0 {
                    let untagged = Array(email[..<plus]) + Array(email[at...])
                    untagged.withUnsafeBufferPointer { body(slot, $0) }
                } else {
                    body(slot, email)
                }
            }
        }
    }
}
