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
    let deed: String
    switch action {
    case .delete: deed = "nothing is deleted"
    case .deactivate: deed = "nothing is deactivated"
    case .toggleMark, .markAllShown, .clearMarks, .makeKeeper, .unmarkGroup, .markRange: deed = "marks do not change"
    case .restore: deed = "nothing is restored"
    case .undo, .togglePause, .stopBatch: deed = "no batch runs"
    default: return nil
    }
    if state.planBanner != nil {
        return .reviewingAPlan(deed)
    }
    return .readOnly(deed)
}
