namespace Itsm.Domain.Cmdb;

public enum CiAttributeType
{
    String,
    Integer,
    Decimal,
    Boolean,
    Date,
    Enum,
}
