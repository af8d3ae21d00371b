import Foundation
import Glibc
import RosterCore

/// Signed plans, through OpenSSH as git signs commits: the planner and the approver each sign
/// what they vouch for with `ssh-keygen -Y sign -n roster-plan` (with `KEY.pub` the private key
/// may stay in a forwarded agent), and `apply` verifies both with `ssh-keygen -Y verify`
/// against an `allowed_signers` file the operator cannot write. A checksum shows an edit; a
/// signature shows who.
public enum PlanSigning {
    public static let namespace = "roster-plan"
    public static let defaultAllowedSigners = "/etc/roster/allowed_signers"

    public enum Role: String, Sendable {
        case planner, approver
    }

    /// What a signer vouches for: the plan's checksum (so every contact and action), its
    /// account and time, and for the approver the approval.
    public static func message(for plan: Plan, role: Role) -> String {
        var lines = [
            "roster plan signature, format 1", "role: \(role.rawValue)", "checksum: \(plan.checksum)",
            "account: \(plan.dialect) \(plan.baseURL) \(plan.profile)", "planner: \(plan.planner)",
            "created: \(PlanFile.stamp(plan.createdAt))",
        ]
        if role == .approver, let approval = plan.approval {
            lines += ["approver: \(approval.approver)", "approved: \(PlanFile.stamp(approval.at))"]
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Signs `message` with `key` (a private key file, or a `.pub` whose private half is in the
    /// agent or beside it).
    public static func sign(_ message: String, key: String) throws(PlanError) -> Plan.Signature {
        let path = NSString(string: key).expandingTildeInPath
        let publicPath = path.hasSuffix(".pub") ? path : path + ".pub"
        guard let publicKey = try? String(contentsOfFile: publicPath, encoding: .utf8)
            .split(whereSeparator: \.isNewline).first.map(String.init) else {
            throw PlanError("cannot read the public key \(publicPath) (ssh-keygen -y -f \(path) > \(publicPath) writes it)")
        }
        let run = try tool(["-Y", "sign", "-f", path, "-n", namespace], input: message)
        guard run.status == 0, run.output.contains("BEGIN SSH SIGNATURE") else {
            throw PlanError("ssh-keygen could not sign with \(path): \(run.error.trimmingCharacters(in: .whitespacesAndNewlines))")
        }
        return Plan.Signature(key: publicKey, signature: run.output)
    }

    /// The principal of `allowedSigners` whose key made `signature` over `message`, or why
    /// there is none (not signed by an allowed key, or not over this message: changed).
    public static func verify(_ message: String, _ signature: Plan.Signature, allowedSigners: String) -> Result<String, PlanError> {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("roster-verify-\(UUID().uuidString)").path
        guard mkdir(folder, 0o700) == 0 else { return .failure(PlanError("cannot make a folder to verify in: \(String(cString: strerror(errno)))")) }
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let file = folder + "/signature"
        guard FileManager.default.createFile(atPath: file, contents: Data(signature.signature.utf8)) else {
            return .failure(PlanError("cannot write the signature to verify it"))
        }
        do {
            let found = try tool(["-Y", "find-principals", "-s", file, "-f", allowedSigners, "-n", namespace], input: "")
            guard found.status == 0, let principal = found.output.split(whereSeparator: \.isNewline).first.map(String.init) else {
                return .failure(PlanError("its key is not in \(allowedSigners)"))
            }
            let checked = try tool(["-Y", "verify", "-f", allowedSigners, "-I", principal, "-n", namespace, "-s", file], input: message)
            guard checked.status == 0 else {
                return .failure(PlanError("it does not verify: the plan or its approval changed after it was signed"))
            }
            return .success(principal)
        } catch {
            return .failure(error)
        }
    }

    /// Why `path` cannot be trusted as the list of who may approve, or nil: it must exist and
    /// be a file the operator can neither write nor replace (not theirs, not writable by
    /// them, in a folder they cannot write). Otherwise they could add their own key.
    public static func signersFileProblem(_ path: String) -> String? {
        var info = stat()
        guard stat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG else {
            return "\(path) cannot be read: it lists who may sign plans (require_signed_approval)"
        }
        let folder = (path as NSString).deletingLastPathComponent
        if info.st_uid == getuid() || access(path, W_OK) == 0 {
            return "\(path) can be written by you (uid \(getuid())): whoever can add a key there can approve their own plans; it must be a file you cannot change (e.g. root's, mode 0644)"
        }
        if access(folder.isEmpty ? "." : folder, W_OK) == 0 {
            return "\(path) is in a folder you can write (\(folder)): you could replace it with your own list"
        }
        return nil
    }

    private static func tool(_ arguments: [String], input: String) throws(PlanError) -> (status: Int32, output: String, error: String) {
        let places: [String] = ["/usr/bin/ssh-keygen", "/usr/local/bin/ssh-keygen", "/bin/ssh-keygen"]
        guard let keygen = places.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw PlanError("ssh-keygen (OpenSSH) is needed to sign and verify plans: apt-get install openssh-client")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: keygen)
        process.arguments = arguments
        // Not the caller's folder, which the operator may not be able to enter (a colleague's).
        process.currentDirectoryURL = URL(fileURLWithPath: "/")
        let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        do {
            try process.run()
        } catch {
            throw PlanError("ssh-keygen could not be run: \(error)")
        }
        stdin.fileHandleForWriting.write(Data(input.utf8))
        try? stdin.fileHandleForWriting.close()
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        let error = stderr.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self), String(decoding: error, as: UTF8.self))
    }
}
