import Foundation

/// The one place a key is refused: in a read-only session (or while a plan is reviewed) the
/// keys that delete, deactivate, restore or mark; `s` on an account with no soft alternative.
/// Each says why it does nothing instead of doing nothing; nil for a key that is allowed.
func refusal(of action: UserAction, in state: AppState) -> StatusMessage? {
    if state.isReadOnly, let refusal = readOnlyRefusal(action, state) { return refusal }
    if action == .deactivate, !state.capabilities.canDeactivate {
        return .noSoftAlternative(state.account.dialect)
    }
    return nil
}

/// What a destructive key says in a read-only session (or while a plan is reviewed), instead
/// of doing nothing; nil for a key that is allowed there.
func readOnlyRefusal(_ action: UserAction, _ state: AppState) -> StatusMessage? {
    guard let deed = action.readOnlyDeed else { return nil }
    if let reason = state.session.journalUnavailable { return .journalUnavailable(deed, reason) }
    if state.planBanner != nil {
        return .reviewingAPlan(deed)
    }
    return .readOnly(deed)
}

extension UserAction {
    /// What a read-only session says it does not do when this action's key is pressed: the
    /// actions that delete, deactivate, restore, mark or drive a batch. Nil for every other
    /// action. The read-only key map withholds exactly these.
    public var readOnlyDeed: String? {
        switch self {
        case .delete: "nothing is deleted"
        case .deactivate: "nothing is deactivated"
        case .toggleMark, .markAllShown, .clearMarks, .makeKeeper, .unmarkGroup, .markRange: "marks do not change"
        case .restore: "nothing is restored"
        case .undo, .togglePause, .stopBatch: "no batch runs"
        default: nil
        }
    }
}
