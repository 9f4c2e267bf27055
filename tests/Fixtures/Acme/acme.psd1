# The complete example of about_InvoiceTools_CustomProviders, as a file (Examples.Tests.ps1 checks they are the same).
@{
    Name           = 'Acme'
    DisplayName    = 'Acme Billing'
    Source         = 'https://docs.acme.example/api/invoices'
    BaseUri        = 'https://{Region}.acme.example'
    Settings       = @{
        Region = @{ Required = $true; Pattern = '^(eu|us)$'
                    Description = 'the data region, eu or us' }
    }
    Authentication = @{ Type = 'Header'; Name = 'X-Api-Key' }
    Headers        = @{ 'Acme-Version' = '2024-01' }
    List           = @{ Path = '/v2/invoices'; Items = 'data' }
    Paging         = @{
        Type = 'Page'; Page = 'page'; PageSize = 'per_page'
        MaxPageSize = 100; LastPage = 'meta.last_page'
    }
    Invoice        = @{
        Id = 'id'; Number = 'number'; Status = 'state'
        Currency = 'currency'; AmountUnit = 'Minor'
        Total = 'total'; Tax = 'tax'; AmountDue = 'amount_due'
        CustomerId = 'customer.id'; CustomerName = 'customer.name'
        CreatedAt = 'created'; DateFormat = 'UnixSeconds'
        DueDate = @{ Path = 'due_on'; Format = 'yyyy-MM-dd' }
        LineItems = 'lines'
        LineItem = @{ Name = 'title'; Quantity = 'qty'
                      Amount = 'amount' }
    }
    Statuses       = @{ draft = 'Draft'; open = 'Open'; paid = 'Paid'
                        void = 'Void' }
    Filters        = @{
        Status       = @{ Parameter = 'state' }
        CreatedAfter = @{ Parameter = 'created_after'
                          Format = 'UnixSeconds' }
    }
    Item           = @{ Path = '/v2/invoices/{id}'; Object = 'data' }
    Sandbox        = @{ Records = 'acme.records.json' }
}
