from equality_reports.cli import main

main()
