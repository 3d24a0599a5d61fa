using Fluid;
using Fluid.Ast;

namespace OpenBao.Csi.Provider.Rendering;

/// <summary>
/// Fluid builds a range such as <c>(1..100000000)</c> as a whole array before the first loop step is
/// counted, so the step limit cannot stop it. Ranges are allowed only with literal bounds close together.
/// </summary>
internal sealed class RangeGuard : AstVisitor
{
    public const int MaxRange = 10_000;

    public bool Unbounded { get; private set; }

    public static bool IsBounded(IFluidTemplate template)
    {
        var guard = new RangeGuard();
        guard.VisitTemplate(template);
        return !guard.Unbounded;
    }

    protected override Expression VisitRangeExpression(RangeExpression rangeExpression)
    {
        if (Number(rangeExpression.From) is not { } from || Number(rangeExpression.To) is not { } to || Math.Abs(to - from) > MaxRange)
        {
            Unbounded = true;
        }

        return base.VisitRangeExpression(rangeExpression);
    }

    private static decimal? Number(Expression expression) =>
        expression is LiteralExpression { Value: Fluid.Values.NumberValue number } ? number.ToNumberValue() : null;
}
