using System.Diagnostics.CodeAnalysis;

namespace OciRegistry.Core.Errors;

/// <summary>Either the value of a successful registry operation or the <see cref="RegistryError"/> that refused it.</summary>
/// <typeparam name="T">The value's type.</typeparam>
public readonly struct RegistryResult<T>
{
    private readonly T? _value;

    private RegistryResult(T? value, RegistryError? error)
    {
        _value = value;
        Error = error;
    }

    /// <summary>The error, when the operation failed.</summary>
    public RegistryError? Error { get; }

    /// <summary>True when the operation succeeded.</summary>
    [MemberNotNullWhen(false, nameof(Error))]
    public bool IsSuccess => Error is null;

    /// <summary>The value; throws when the operation failed.</summary>
    public T Value => Error is null ? _value! : throw new InvalidOperationException($"The operation failed: {Error.Code}: {Error.Message}");

    /// <summary>A successful result (for values an implicit conversion cannot take, such as interfaces).</summary>
    public static RegistryResult<T> From(T value) => new(value, null);

    /// <summary>A successful result.</summary>
    public static implicit operator RegistryResult<T>(T value) => new(value, null);

    /// <summary>A failed result.</summary>
    public static implicit operator RegistryResult<T>(RegistryError error) => new(default, error ?? throw new ArgumentNullException(nameof(error)));
}
