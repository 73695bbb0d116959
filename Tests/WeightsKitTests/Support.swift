import Foundation
@_exported import TestSupport
@testable import WeightsKit

/// Paths to committed fixtures.
enum Fixtures {
    static func path(_ relative: String) -> String { Repository.path(relative) }
    static let validSafetensors = path("Formats/vectors/safetensors/valid")
    static let invalidSafetensors = path("Formats/vectors/safetensors/invalid")

    static func files(in directory: String, suffix: String) -> [String] {
        FixtureFiles.names(in: directory, suffix: suffix)
    }
}

