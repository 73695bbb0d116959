import WeightsKit

extension SentencePooling {
    /// The pooling llama.cpp applies to a GGUF embedding model (`{arch}.pooling_type`, which
    /// the converter takes from the sentence-transformers Pooling module): mean, cls or last
    /// token, L2-normalised, as llama.cpp's `llama-embedding` and server do by default
    /// (`--embd-normalize 2`; GGUF does not record whether a Normalize module followed).
    /// Nil for none and rank (a reranker's head, not an embedding).
    public init?(gguf type: GGUFPoolingType) {
        switch type {
        case .mean: self.init(modes: [.mean], normalize: true)
        case .cls: self.init(modes: [.cls], normalize: true)
        case .last: self.init(modes: [.lastToken], normalize: true)
        case .none, .rank: return nil
        }
    }
}
