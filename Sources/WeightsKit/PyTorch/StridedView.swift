/// A tensor as torch stores it: `sizes` and `strides` (in elements) from `offset` into a
/// storage of `storageCount` elements. Built only through `init`, which proves every element
/// the view can reach lies inside the storage, with overflow-checked arithmetic.
struct StridedView {
    let offset: Int
    let sizes: [Int]
    let strides: [Int]
    let elementCount: Int
    /// Whether the elements are the row-major run `offset ..< offset + elementCount`
    /// (strides of dimensions of size 1 do not matter), so the view needs no copy.
    let isContiguous: Bool

    /// The view of `tensor`, or why it reaches outside its storage.
    init(tensor: String, offset: Int, sizes: [Int], strides: [Int], storageCount: Int) throws(PyTorchError) {
        func fail(_ reason: String) -> PyTorchError { .viewOutOfRange(tensor: tensor, reason: reason) }
        guard offset >= 0 else { throw fail("storage offset \(offset) is negative") }
        guard sizes.allSatisfy({ $0 >= 0 }), strides.allSatisfy({ $0 >= 0 }) else {
            throw fail("sizes \(sizes) or strides \(strides) are negative")
        }
        guard let count = Shape.checkedProduct(sizes) else { throw fail("sizes \(sizes) overflow") }
        if count == 0 {
            guard offset <= storageCount else { throw fail("storage offset \(offset) is beyond its \(storageCount)-element storage") }
        } else {
            // The furthest element: offset + Σ (size - 1) × stride, which must be inside the storage.
            var last = offset
            for (size, stride) in zip(sizes, strides) {
                let (step, overflow) = (size - 1).multipliedReportingOverflow(by: stride)
                let (sum, overflowSum) = last.addingReportingOverflow(step)
                guard !overflow, !overflowSum else { throw fail("offset \(offset), sizes \(sizes) and strides \(strides) overflow") }
                last = sum
            }
            guard last < storageCount else {
                throw fail("offset \(offset), sizes \(sizes) and strides \(strides) reach element \(last) of a \(storageCount)-element storage")
            }
        }
        var expected = 1, contiguous = true
        for (size, stride) in zip(sizes, strides).reversed() where size != 1 {
            if stride != expected { contiguous = false }
            expected = expected &* size
        }
        self.offset = offset
        self.sizes = sizes
        self.strides = strides
        elementCount = count
        isContiguous = contiguous || count == 0
    }

    /// The view's elements in row-major order, each `width` bytes, copied out of `storage`
    /// (which holds the whole storage the view was checked against).
    func gather(from storage: UnsafeRawBufferPointer, width: Int) -> [UInt8] {
        let rank = sizes.count
        guard rank > 0, elementCount > 0 else { return Array(storage[(offset * width)..<((offset + elementCount) * width)]) }
        let inner = sizes[rank - 1], innerStride = strides[rank - 1]
        var index = [Int](repeating: 0, count: rank - 1)
        return [UInt8](unsafeUninitializedCapacity: elementCount * width) { buffer, initialized in
            let out = UnsafeMutableRawBufferPointer(buffer)
            var written = 0
            while true {
                var base = offset
                for dim in 0..<(rank - 1) { base += index[dim] * strides[dim] }
                if innerStride == 1 {
                    let bytes = UnsafeRawBufferPointer(rebasing: storage[(base * width)..<((base + inner) * width)])
                    UnsafeMutableRawBufferPointer(rebasing: out[written..<(written + bytes.count)]).copyMemory(from: bytes)
                    written += bytes.count
                } else {
                    for step in 0..<inner {
                        let start = (base + step * innerStride) * width
                        UnsafeMutableRawBufferPointer(rebasing: out[written..<(written + width)])
                            .copyMemory(from: UnsafeRawBufferPointer(rebasing: storage[start..<(start + width)]))
                        written += width
                    }
                }
                var dim = rank - 2
                while dim >= 0 {
                    index[dim] += 1
                    if index[dim] < sizes[dim] { break }
                    index[dim] = 0
                    dim -= 1
                }
                if dim < 0 { break }
            }
            initialized = written
        }
    }
}

