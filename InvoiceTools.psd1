@{
    RootModule             = 'InvoiceTools.dll'
    ModuleVersion          = '0.1.0'
    GUID                   = '5b0d8a47-3f1e-4c6a-9d2b-7e8f1a2c3d4e'
    Author                 = 'InvoiceTools contributors'
    CompanyName            = 'InvoiceTools'
    Copyright              = '(c) InvoiceTools contributors. All rights reserved.'
    Description            = 'Lists invoices from Revere Payments, Revolv3, Opterius Commerce, Kitchen and Xendit as one stream of typed objects: automatic paging, retries with Retry-After, money as decimal, normalized statuses with the raw status kept, and a built-in sandbox (-Sandbox) that needs no account.'
    PowerShellVersion      = '5.1'
    CompatiblePSEditions   = @('Desktop', 'Core')
    DotNetFrameworkVersion = '4.7.2'
    CmdletsToExport        = @(
        'Connect-InvoiceProvider'
        'Disconnect-InvoiceProvider'
        'Get-Invoice'
        'Get-InvoiceLineItem'
        'Get-InvoiceProvider'
        'Get-InvoiceProviderConnection'
        'Measure-Invoice'
        'Register-InvoiceProvider'
        'Select-InvoiceProviderConnection'
        'Unregister-InvoiceProvider'
    )
    FunctionsToExport      = @()
    VariablesToExport      = @()
    AliasesToExport        = @()
    FormatsToProcess       = @('InvoiceTools.format.ps1xml')
    TypesToProcess         = @('InvoiceTools.types.ps1xml')
    PrivateData            = @{
        PSData = @{
            Tags       = @('Invoice', 'Invoices', 'Billing', 'Payments', 'Revere', 'Revolv3', 'Opterius', 'Kitchen', 'Xendit', 'Paging', 'REST', 'AzureAutomation', 'PSEdition_Desktop', 'PSEdition_Core', 'Windows', 'Linux', 'MacOS')
            ProjectUri = 'https://github.com/invoicetools/InvoiceTools'
            ReleaseNotes = 'Five providers (Revere Payments, Revolv3, Opterius Commerce, Kitchen, Xendit) with a built-in sandbox each; paging with read-ahead; retries; checkpoints; Select-InvoiceProviderConnection; Connect checks the key; views that fit 80 columns.'
        }
    }
}
