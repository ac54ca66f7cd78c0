<#
.SYNOPSIS
    Exports the live FTP sessions of a Windows IIS server in the shape iisconf reads
    (`iisconf sessions list --provider snapshot --input FILE`).

.DESCRIPTION
    Reads system.applicationHost/sites/site/ftpServer/sessions through
    Microsoft.Web.Administration (runtime data from the FTP service, as IIS Manager's
    "FTP Current Sessions" shows it) and writes either
      - JSON: {"capturedAt": "…", "sessions": [objects keyed by the IIS attribute names plus "site"]}, or
      - XML:  <sites capturedAt="…"><site name="…"><ftpServer><sessions><session …/></sessions></ftpServer></site></sites>.
    capturedAt is the export time in UTC (RFC 3339): iisconf counts "connected for" and
    "idle for" from it.
    Run in an elevated PowerShell on the IIS server (reading sessions needs administrator
    rights and the FTP service running).

.EXAMPLE
    .\export-ftp-sessions.ps1 -Site "ftp.example.com" -OutFile sessions.json
.EXAMPLE
    .\export-ftp-sessions.ps1 -Format xml -OutFile sessions.xml
#>
[CmdletBinding()]
param(
    # Only this FTP site (default: every site with an FTP server).
    [string]$Site,
    # Where to write; "-" writes to the pipeline.
    [string]$OutFile = "ftp-sessions.json",
    [ValidateSet("json", "xml")]
    [string]$Format = "json"
)

Set-StrictMode -Version Latest
$ErrorActionPreference = "Stop"

$assembly = Join-Path $env:windir "system32\inetsrv\Microsoft.Web.Administration.dll"
if (-not (Test-Path $assembly)) {
    throw "Microsoft.Web.Administration.dll not found at ${assembly}: install IIS with the management tools."
}
Add-Type -Path $assembly

# The ten attributes of ftpServer/sessions/session, in the schema's order (ftp_rscaext.xml).
$attributes = @('clientIp', 'sessionId', 'sessionStartTime', 'userName', 'currentCommand',
                'previousCommand', 'commandStartTime', 'bytesSent', 'bytesReceived', 'lastErrorStatus')

# When the sessions were read; durations in iisconf count from this moment.
$capturedAt = (Get-Date).ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ssZ", [System.Globalization.CultureInfo]::InvariantCulture)

$serverManager = New-Object Microsoft.Web.Administration.ServerManager
try {
    $config = $serverManager.GetApplicationHostConfiguration()
    $sites = $config.GetSection("system.applicationHost/sites").GetCollection()

    $rows = New-Object System.Collections.Generic.List[object]
    foreach ($siteElement in $sites) {
        $siteName = [string]$siteElement["name"]
        if ($Site -and $siteName -ne $Site) { continue }
        $ftpServer = $siteElement.GetChildElement("ftpServer")
        try {
            $sessions = $ftpServer.GetCollection("sessions")
        } catch {
            Write-Verbose "No FTP sessions for site '$siteName': $($_.Exception.Message)"
            continue
        }
        foreach ($session in $sessions) {
            $row = [ordered]@{ site = $siteName }
            foreach ($name in $attributes) {
                $value = $session[$name]
                if ($null -eq $value) { $value = "" }
                if ($name -in @('bytesSent', 'bytesReceived')) { $value = [int64]$value }
                elseif ($name -eq 'lastErrorStatus') { $value = [uint32]$value }
                else { $value = [string]$value }
                $row[$name] = $value
            }
            $rows.Add([pscustomobject]$row)
        }
    }
} finally {
    $serverManager.Dispose()
}

if ($Format -eq "json") {
    # An array inside the object keeps a one-element list an array.
    $text = ConvertTo-Json -InputObject ([ordered]@{
        capturedAt = $capturedAt
        sessions   = @($rows.ToArray())
    }) -Depth 4
} else {
    $settings = New-Object System.Xml.XmlWriterSettings
    $settings.Indent = $true
    $settings.IndentChars = "    "
    $settings.OmitXmlDeclaration = $false
    $builder = New-Object System.Text.StringBuilder
    $writer = [System.Xml.XmlWriter]::Create($builder, $settings)
    $writer.WriteStartElement("sites")
    $writer.WriteAttributeString("capturedAt", $capturedAt)
    foreach ($group in ($rows | Group-Object -Property site)) {
        $writer.WriteStartElement("site")
        $writer.WriteAttributeString("name", $group.Name)
        $writer.WriteStartElement("ftpServer")
        $writer.WriteStartElement("sessions")
        foreach ($row in $group.Group) {
            $writer.WriteStartElement("session")
            foreach ($name in $attributes) {
                $writer.WriteAttributeString($name, [string]$row.$name)
            }
            $writer.WriteEndElement()
        }
        $writer.WriteEndElement(); $writer.WriteEndElement(); $writer.WriteEndElement()
    }
    $writer.WriteEndElement()
    $writer.Flush()
    $text = $builder.ToString()
}

if ($OutFile -eq "-") {
    $text
} else {
    # UTF-8 without a byte order mark.
    $path = $ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($OutFile)
    [System.IO.File]::WriteAllText($path, $text, (New-Object System.Text.UTF8Encoding $false))
    Write-Host "Wrote $($rows.Count) session(s) to $OutFile"
}
