import Foundation

/// The questions asked about one contact, and about stopping a batch: `y` is yes, any other
/// key no. (A batch's confirmation, with its typed count, is in BatchUpdate.)

func answerDelete(_ action: UserAction, contact: Contact, in state: inout AppState) -> [Effect] {
    state.overlay = .none
    if action == .confirm { return startBatch(BatchPlan(contacts: [contact], locked: [], hidden: 0, estimate: nil), in: &state) }
    state.message = .deleteCancelled(contact)
    return []
}

func answerDeactivate(_ action: UserAction, contact: Contact, in state: inout AppState) -> [Effect] {
    state.overlay = .none
    guard action == .confirm else {
        state.message = .deactivationCancelled(contact)
        return []
    }
    if state.isDryRun {
        state.message = .wouldDeactivate(contact)
        return []
    }
    state.activity[contact.id] = .deactivating
    state.message = .deactivating(contact)
    return [.deactivate(contact)]
}

func answerStop(_ action: UserAction, in state: inout AppState) -> [Effect] {
    state.overlay = .none
    if action == .confirm { return stopBatch("stopped by you", in: &state) }
    state.message = .batchGoesOn
    return []
}

func deactivateFinished(id: ContactID, result: Result<Contact, ProviderError>, in state: inout AppState) {
    state.activity[id] = nil
    let name = state.contact(withID: id)?.displayName ?? id.rawValue
    switch result {
    case .success(let updated):
        state.replace(updated)
        state.updateScreens { screen in
            guard case .detail(var pane) = screen, pane.contact.id == id else { return }
            pane.contact = updated
            screen = .detail(pane)
        }
        state.message = .deactivated(name, as: updated)
    case .failure(let error) where error.kind == .notFound:
        state.remove(id)
        state.message = .alreadyGone(name)
    case .failure(let error):
        state.message = .notDeactivated(name, because: explain(error, state))
    }
}

/// A failure as the user reads it; a 401 also says where the key came from.
func explain(_ error: ProviderError, _ state: AppState) -> String {
    guard error.kind == .unauthorized, !state.account.keySource.isEmpty else { return error.description }
    return "\(error) (the API key from the \(state.account.keySource) is missing or invalid)"
}
